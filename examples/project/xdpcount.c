// SPDX-License-Identifier: GPL-2.0
/* xdpcount's loader, on the libbpf-bootstrap pattern: the generated
 * skeleton (xdpcount.skel.h) opens and loads the uninstrumented object it
 * embeds.
 *
 *   xdpcount                       run the program over a few built-in
 *                                  frames (BPF_PROG_TEST_RUN), print counts
 *   xdpcount -i IFACE [-d SECONDS] attach it to IFACE, print counts each
 *                                  second until Ctrl-C or SECONDS
 *
 * The same source, built through inxpect-cc, is xdpcount.inxpect.bpf.o:
 * profile it with `inxpect run` or `inxpect attach`. */
#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "xdpcount.h"
#include "xdpcount.skel.h"

static const char *slot_names[XDPCOUNT_SLOTS] = { "udp4", "tcp4", "other4", "ipv6", "other" };
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int print_counts(struct xdpcount *skel)
{
	int ncpus = libbpf_num_possible_cpus();
	__u64 *values = calloc(ncpus, sizeof(*values));

	if (ncpus < 0 || !values)
		return -ENOMEM;
	for (__u32 k = 0; k < XDPCOUNT_SLOTS; k++) {
		__u64 sum = 0;

		if (bpf_map__lookup_elem(skel->maps.counts, &k, sizeof(k), values,
					 sizeof(*values) * ncpus, 0)) {
			free(values);
			return -errno;
		}
		for (int c = 0; c < ncpus; c++)
			sum += values[c];
		printf("%s %llu\n", slot_names[k], (unsigned long long)sum);
	}
	free(values);
	return 0;
}

/* An Ethernet frame of EtherType `proto` (and IPv4 protocol `ip_proto`). */
static void frame(unsigned char *pkt, size_t len, int proto, int ip_proto)
{
	memset(pkt, 0, len);
	pkt[12] = proto >> 8;
	pkt[13] = proto & 0xff;
	if (proto == ETH_P_IP) {
		pkt[14] = 0x45;
		pkt[14 + 9] = ip_proto;
	}
}

static int test_run(struct xdpcount *skel)
{
	static const struct {
		int proto, ip_proto;
	} frames[] = { { ETH_P_IP, IPPROTO_UDP }, { ETH_P_IP, IPPROTO_UDP },
		       { ETH_P_IP, IPPROTO_UDP }, { ETH_P_IP, IPPROTO_TCP },
		       { ETH_P_IP, IPPROTO_TCP }, { ETH_P_IPV6, 0 },
		       { ETH_P_ARP, 0 } };
	unsigned char pkt[64];

	for (size_t i = 0; i < sizeof(frames) / sizeof(frames[0]); i++) {
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt, .data_size_in = sizeof(pkt),
			    .repeat = 1);

		frame(pkt, sizeof(pkt), frames[i].proto, frames[i].ip_proto);
		if (bpf_prog_test_run_opts(bpf_program__fd(skel->progs.xdp_count), &opts))
			return -errno;
		if (opts.retval != XDP_PASS)
			return -EPROTO;
	}
	return print_counts(skel);
}

static int attach(struct xdpcount *skel, const char *iface, int seconds)
{
	unsigned int ifindex = if_nametoindex(iface);
	struct bpf_link *link;

	if (!ifindex)
		return -errno;
	link = bpf_program__attach_xdp(skel->progs.xdp_count, ifindex);
	if (!link)
		return -errno;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	for (int s = 0; !stop && (seconds <= 0 || s < seconds); s++) {
		sleep(1);
		printf("--\n");
		print_counts(skel);
		fflush(stdout);
	}
	bpf_link__destroy(link);
	return 0;
}

int main(int argc, char **argv)
{
	const char *iface = NULL;
	int seconds = 0, opt, err;
	struct xdpcount *skel;

	while ((opt = getopt(argc, argv, "i:d:")) != -1) {
		if (opt == 'i') {
			iface = optarg;
		} else if (opt == 'd') {
			seconds = atoi(optarg);
		} else {
			fprintf(stderr, "usage: %s [-i IFACE [-d SECONDS]]\n", argv[0]);
			return 2;
		}
	}
	skel = xdpcount__open_and_load();
	if (!skel) {
		fprintf(stderr, "xdpcount: cannot load the program: %s\n", strerror(errno));
		return 1;
	}
	err = iface ? attach(skel, iface, seconds) : test_run(skel);
	xdpcount__destroy(skel);
	if (err) {
		fprintf(stderr, "xdpcount: %s\n", strerror(-err));
		return 1;
	}
	return 0;
}
