"""Offline stand-in for @rules_cc: forwards to the native rules.

Bazel 4.2.3's @bazel_tools//tools/cpp and @local_config_cc load
"@rules_cc//cc:defs.bzl"; without this repository Bazel downloads rules_cc.
Debian's bazel-rules-cc 0.0.4 needs a newer Bazel (use_cpp_toolchain).
"""

def cc_binary(**kwargs):
    native.cc_binary(**kwargs)

def cc_import(**kwargs):
    native.cc_import(**kwargs)

def cc_library(**kwargs):
    native.cc_library(**kwargs)

def cc_test(**kwargs):
    native.cc_test(**kwargs)

def cc_proto_library(**kwargs):
    native.cc_proto_library(**kwargs)

def cc_toolchain(**kwargs):
    native.cc_toolchain(**kwargs)

def cc_toolchain_suite(**kwargs):
    native.cc_toolchain_suite(**kwargs)

def objc_library(**kwargs):
    native.objc_library(**kwargs)
