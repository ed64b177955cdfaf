# InXpect lit suite: instrumentation output (FileCheck) and CLI integration.
# Optional capabilities become features; tests that need one say
# "REQUIRES: <feature>" and are reported UNSUPPORTED where it is missing.
import os
import shutil
import subprocess

import lit.formats

config.name = "inxpect"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".c", ".test"]
config.excludes = ["Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.bin_root, "test", "lit")

config.environment["PATH"] = os.pathsep.join(
    [config.llvm_tools_dir, config.environment.get("PATH", os.environ["PATH"])])

bpf_cflags = "-target bpf -O2 -g -Wall -I{} -idirafter {}".format(
    os.path.join(config.src_root, "include"), config.bpf_sys_include)
config.substitutions.append(("%clang-bpf", "{} {}".format(config.bpf_clang, bpf_cflags)))
# The frontend alone, for loading the plugin directly (clang -cc1 -load).
config.substitutions.append(("%clang-cc1-bpf", "{} -cc1 -triple bpf -I{}".format(
    config.bpf_clang, os.path.join(config.src_root, "include"))))
config.substitutions.append(("%inxpect-cc", config.inxpect_cc))
config.substitutions.append(("%inxpect-plugin", config.inxpect_plugin))
config.substitutions.append(("%inxpect", config.inxpect))
config.substitutions.append(("%examples", os.path.join(config.bin_root, "examples")))
config.substitutions.append(("%srcroot", config.src_root))
config.substitutions.append(("%bin", config.bin_root))

if config.inxpect_cc:
    config.available_features.add("plugin")
if config.have_examples:
    config.available_features.add("examples")


def probe(cmd):
    try:
        return subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


# Features that need privileges are probed with the product itself, so
# "bpf" means exactly "inxpect can load and test-run a program here".
if os.geteuid() == 0:
    config.available_features.add("root")
    if probe([config.inxpect, "probe", "bpf"]):
        config.available_features.add("bpf")
    if probe([config.inxpect, "probe", "perf-helper"]):
        config.available_features.add("perf-helper")
    for tool in ("prometheus", "curl", "xdp-loader"):
        if shutil.which(tool):
            config.available_features.add(tool)
    # inxpect serve was built (prometheus-cpp) and may listen.
    if probe([config.inxpect, "serve", "--listen", "127.0.0.1:0", "--duration", "0.01"]):
        config.available_features.add("serve")
    if shutil.which("ip") and probe(["ip", "netns", "add", "inxpect-probe"]):
        subprocess.run(["ip", "netns", "del", "inxpect-probe"])
        config.available_features.add("netns")
