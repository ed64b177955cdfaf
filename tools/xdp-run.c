/* inxpect-xdp-run: test-only harness for the instrumentation tests.
 *
 *   inxpect-xdp-run [--activate] [--stats] OBJ PACKETS
 *
 * Loads every XDP program of OBJ, fills each program-array map with the
 * programs in object order (so tail calls land), and runs every packet of
 * PACKETS (one hex string a line) through every program with
 * BPF_PROG_TEST_RUN, printing "program action output-hex" per run.  Two
 * objects built from one source must print the same lines.
 *
 * --activate gives every section a distinct id, as the runtime would, so
 * the measuring paths are verified and executed too; without it the ids
 * stay INXPECT_NO_ID.  --stats prints, per program, the verifier's
 * processed-instruction count and the loaded (xlated) size to stderr. */
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inxpect/abi.h"

#define MAX_PKT 2048
#define MAX_PROGS 16
#define LOG_SIZE (1 << 20)

/* Writes one id per section name into the .rodata image (before load). */
static int activate(struct bpf_object *obj)
{
	const struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *map = bpf_object__find_map_by_name(obj, ".rodata");
	char names[INXPECT_MAX_SECTIONS][64];
	unsigned n = 0;
	const void *init;
	size_t size;
	char *data;
	int err;

	if (!btf || !map)
		return 0;
	init = bpf_map__initial_value(map, &size);
	data = malloc(size);
	if (!data)
		return -ENOMEM;
	memcpy(data, init, size);
	for (unsigned t = 1; t < btf__type_cnt(btf); t++) {
		const struct btf_type *ds = btf__type_by_id(btf, t);
		const struct btf_var_secinfo *vs;

		if (!btf_is_datasec(ds) ||
		    strcmp(btf__name_by_offset(btf, ds->name_off), ".rodata"))
			continue;
		vs = btf_var_secinfos(ds);
		for (unsigned i = 0; i < btf_vlen(ds); i++, vs++) {
			const struct btf_type *v = btf__type_by_id(btf, vs->type);
			const char *name = btf__name_by_offset(btf, v->name_off);
			const char *sec = strstr(name, INXPECT_ID_PREFIX);
			unsigned id;

			if (!sec)
				continue;
			sec += strlen(INXPECT_ID_PREFIX);
			for (id = 0; id < n && strcmp(names[id], sec); id++)
				;
			if (id == n && n < INXPECT_MAX_SECTIONS)
				snprintf(names[n++], sizeof(names[0]), "%s", sec);
			if (vs->offset + 4 <= size)
				memcpy(data + vs->offset, &id, 4);
		}
	}
	err = bpf_map__set_initial_value(map, data, size);
	free(data);
	return err;
}

static int unhex(const char *s, unsigned char *out)
{
	int n = 0;

	while (s[0] && s[1] && s[0] != '\n' && n < MAX_PKT) {
		sscanf(s, "%2hhx", &out[n++]);
		s += 2;
	}
	return n;
}

int main(int argc, char **argv)
{
	int act = 0, stats = 0, argi = 1;
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_map *map;
	char *logs[MAX_PROGS] = {};
	unsigned np = 0;
	FILE *pk;

	for (; argi < argc && argv[argi][0] == '-'; argi++) {
		if (!strcmp(argv[argi], "--activate"))
			act = 1;
		else if (!strcmp(argv[argi], "--stats"))
			stats = 1;
	}
	if (argc - argi != 2) {
		fprintf(stderr, "usage: %s [--activate] [--stats] OBJ PACKETS\n", argv[0]);
		return 2;
	}
	obj = bpf_object__open_file(argv[argi], NULL);
	if (!obj) {
		fprintf(stderr, "open %s: %s\n", argv[argi], strerror(errno));
		return 1;
	}
	if (act && activate(obj)) {
		fprintf(stderr, "cannot set the section ids\n");
		return 1;
	}
	bpf_object__for_each_program(prog, obj) {
		if (!stats || np == MAX_PROGS)
			break;
		logs[np] = calloc(1, LOG_SIZE);
		bpf_program__set_log_buf(prog, logs[np++], LOG_SIZE);
		bpf_program__set_log_level(prog, 4); /* statistics only */
	}
	if (bpf_object__load(obj)) {
		fprintf(stderr, "load %s failed\n", argv[argi]);
		return 1;
	}
	np = 0;
	bpf_object__for_each_program(prog, obj) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		const char *processed;

		if (!stats || np == MAX_PROGS)
			break;
		bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len);
		processed = strstr(logs[np++], "processed ");
		fprintf(stderr, "%s: insns=%zu xlated_insns=%u verifier_%.*s\n",
			bpf_program__name(prog), bpf_program__insn_cnt(prog),
			info.xlated_prog_len / 8,
			processed ? (int)strcspn(processed, "(") - 1 : 0, processed);
	}
	bpf_object__for_each_map(map, obj) {
		__u32 k = 0;

		if (bpf_map__type(map) != BPF_MAP_TYPE_PROG_ARRAY)
			continue;
		bpf_object__for_each_program(prog, obj) {
			int fd = bpf_program__fd(prog);

			if (k < bpf_map__max_entries(map))
				bpf_map_update_elem(bpf_map__fd(map), &k, &fd, 0);
			k++;
		}
	}

	pk = fopen(argv[argi + 1], "r");
	if (!pk) {
		fprintf(stderr, "open %s: %s\n", argv[argi + 1], strerror(errno));
		return 1;
	}
	bpf_object__for_each_program(prog, obj) {
		char line[2 * MAX_PKT + 2];

		rewind(pk);
		while (fgets(line, sizeof(line), pk)) {
			unsigned char in[MAX_PKT], out[MAX_PKT + 256];
			LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = in, .data_out = out,
				    .data_size_out = sizeof(out));

			if (line[0] == '#' || line[0] == '\n')
				continue;
			o.data_size_in = unhex(line, in);
			if (bpf_prog_test_run_opts(bpf_program__fd(prog), &o)) {
				printf("%s error %d\n", bpf_program__name(prog), -errno);
				continue;
			}
			printf("%s %u ", bpf_program__name(prog), o.retval);
			for (unsigned i = 0; i < o.data_size_out; i++)
				printf("%02x", out[i]);
			printf("\n");
		}
	}
	return 0;
}
