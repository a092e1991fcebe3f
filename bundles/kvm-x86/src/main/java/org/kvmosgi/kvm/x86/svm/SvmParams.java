package org.kvmosgi.kvm.x86.svm;

import org.kvmosgi.kernel.api.modinfo.Param;
import org.kvmosgi.kernel.api.modinfo.ParamType;

/** svm.c's module_param()s, for every module svm.c is linked into (see VmxParams). */
@Param(name = "npt", type = ParamType.INT, defaultValue = "1", perm = "0444")
@Param(name = "nested", type = ParamType.INT, defaultValue = "1", perm = "0444")
@Param(name = "avic", type = ParamType.BOOL, defaultValue = "N", perm = "0444")
@Param(name = "force_avic", type = ParamType.BOOL, defaultValue = "N", perm = "0444")
@Param(name = "nrips", type = ParamType.INT, defaultValue = "1", perm = "0444")
@Param(name = "vls", type = ParamType.INT, defaultValue = "1", perm = "0444")
@Param(name = "vgif", type = ParamType.INT, defaultValue = "1", perm = "0444")
@Param(name = "lbrv", type = ParamType.INT, defaultValue = "1", perm = "0444")
@Param(name = "tsc_scaling", type = ParamType.INT, defaultValue = "1", perm = "0444")
@Param(name = "vnmi", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "intercept_smi", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "sev", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "sev_es", type = ParamType.BOOL, defaultValue = "Y", perm = "0444")
@Param(name = "pause_filter_thresh", type = ParamType.USHORT, defaultValue = "128", perm = "0444")
@Param(name = "pause_filter_count", type = ParamType.USHORT, defaultValue = "3000", perm = "0444")
@Param(name = "dump_invalid_vmcb", type = ParamType.BOOL, defaultValue = "N", perm = "0644")
final class SvmParams {
    private SvmParams() {}
}
