// SPDX-License-Identifier: GPL-2.0
/* /dev/inxpect: the ioctls of include/inxpect/kmod_uapi.h. */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uaccess.h>

#include "inxpect_kmod.h"

/* file->private_data: whether this open file holds the counters. */
static long inxpect_set_events(struct file *f, void __user *uarg)
{
	bool held = f->private_data;
	struct inxpect_kmod_config cfg;
	int err;

	/* Same bar as opening a CPU-wide perf event. */
	if (!perfmon_capable())
		return -EPERM;
	if (copy_from_user(&cfg, uarg, sizeof(cfg)))
		return -EFAULT;
	/* Malformed: fail before touching anything; err[] not written. */
	err = inxpect_counters_validate(&cfg);
	if (err)
		return err;
	err = inxpect_counters_set(&cfg, &held);
	f->private_data = held ? f : NULL;
	/* Per-event errors travel back even when the call fails. */
	if (copy_to_user(uarg, &cfg, sizeof(cfg)))
		return -EFAULT;
	return err;
}

static long inxpect_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case INXPECT_KMOD_IOC_INFO: {
		struct inxpect_kmod_info info;

		inxpect_counters_info(&info);
		return copy_to_user(uarg, &info, sizeof(info)) ? -EFAULT : 0;
	}
	case INXPECT_KMOD_IOC_SET_EVENTS:
		return inxpect_set_events(f, uarg);
	}
	return -ENOTTY;
}

/* misc_open() leaves the miscdevice in private_data: a new file holds
 * nothing. */
static int inxpect_open_file(struct inode *inode, struct file *f)
{
	f->private_data = NULL;
	return 0;
}

static int inxpect_release_file(struct inode *inode, struct file *f)
{
	if (f->private_data)
		inxpect_counters_put();
	return 0;
}

static const struct file_operations inxpect_fops = {
	.owner = THIS_MODULE,
	.open = inxpect_open_file,
	.release = inxpect_release_file,
	.unlocked_ioctl = inxpect_ioctl,
	/* The structs have the same layout for 32-bit callers. */
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice inxpect_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "inxpect",
	.fops = &inxpect_fops,
	.mode = 0600,
};

int inxpect_ctl_init(void)
{
	return misc_register(&inxpect_misc);
}

void inxpect_ctl_exit(void)
{
	misc_deregister(&inxpect_misc);
}
