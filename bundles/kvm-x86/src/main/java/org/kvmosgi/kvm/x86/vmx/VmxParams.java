package org.kvmosgi.kvm.x86.vmx;

import org.kvmosgi.kernel.api.modinfo.Param;
import org.kvmosgi.kernel.api.modinfo.ParamType;

/**
 * vmx.c's module_param()s, kept apart from the module class so that every module vmx.c
 * is linked into (kvm-intel.ko in each layout) gets them: bnd writes the capabilities
 * of every class its bundle holds.
 */
@Param(name = "vpid", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "vnmi", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "flexpriority", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "ept", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "unrestricted_guest", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "eptad", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "emulate_invalid_guest_state", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "fasteoi", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "enable_apicv", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "enable_ipiv", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "enable_shadow_vmcs", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "nested", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "nested_early_check", type = ParamType.BOOL, defaultValue = "N", perm = "0444")
@Param(name = "pml", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "error_on_inconsistent_vmcs_config", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "dump_invalid_vmcs", type = ParamType.BOOL, defaultValue = "N", perm = "0644")
@Param(name = "preemption_timer", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "allow_smaller_maxphyaddr", type = ParamType.BOOL, defaultValue = "N", perm = "0444")
@Param(name = "ple_gap", type = ParamType.UINT, defaultValue = "128", perm = "0444")
@Param(name = "ple_window", type = ParamType.UINT, defaultValue = "4096", perm = "0444")
@Param(name = "pt_mode", type = ParamType.INT, defaultValue = "0", perm = "0444")
@Param(name = "vmentry_l1d_flush", type = ParamType.CHARP, defaultValue = "cond", perm = "0644",
        values = {"auto", "never", "cond", "always"})
final class VmxParams {
    private VmxParams() {}
}
