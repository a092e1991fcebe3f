package org.kvmosgi.kvm.x86;

import static org.kvmosgi.kvm.api.x86.KvmSymbols.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kvmosgi.kernel.api.host.Host;
import org.kvmosgi.kernel.testkit.Hosts;
import org.kvmosgi.kernel.testkit.TestKernel;
import org.kvmosgi.kvm.x86.split.KvmModule;
import org.kvmosgi.kvm.x86.svm.SvmModule;
import org.kvmosgi.kvm.x86.vmx.VmxModule;

/** Hosts, parameter defaults and imports of the three modules, for the tests and benchmarks/. */
public final class Kvms {
    public static final String[] VMX_IMPORTS = {KVM_INIT, KVM_EXIT, KVM_X86_VENDOR_INIT, KVM_X86_VENDOR_EXIT, KVM_EMULATE_CPUID,
        KVM_EMULATE_HALT, KVM_EMULATE_HYPERCALL, KVM_EMULATE_RDMSR, KVM_EMULATE_WRMSR, KVM_EMULATE_INSTRUCTION, KVM_FAST_PIO,
        KVM_SKIP_EMULATED_INSTRUCTION, KVM_GET_CR8, KVM_SET_CR8, KVM_COMPLETE_INSN_GP, KVM_MMU_PAGE_FAULT};
    public static final String[] SVM_IMPORTS = {KVM_INIT, KVM_EXIT, KVM_X86_VENDOR_INIT, KVM_X86_VENDOR_EXIT, KVM_EMULATE_CPUID,
        KVM_EMULATE_HALT, KVM_EMULATE_HYPERCALL, KVM_EMULATE_RDMSR, KVM_EMULATE_WRMSR, KVM_EMULATE_INSTRUCTION, KVM_FAST_PIO,
        KVM_SKIP_EMULATED_INSTRUCTION, KVM_GET_CR8, KVM_SET_CR8, KVM_COMPLETE_INSN_GP, KVM_MMU_PAGE_FAULT};

    /** The kernel's {@code intel} profile: VT-x with EPT, VPID, the TPR shadow and the preemption timer. */
    public static Host intel() {
        return Hosts.profile("intel");
    }

    /** The kernel's {@code amd} profile: AMD-V with NPT and next-RIP saving. */
    public static Host amd() {
        return Hosts.profile("amd");
    }

    /** x86-lab: an AMD CPU that also has VMX, which real hardware never has. */
    public static Host lab() {
        return Hosts.profile("x86-lab");
    }

    /**
     * A test kernel on {@code host} whose EXPORT_SYMBOL_FOR_MODULES is kvm.ko's: its symbols
     * are for kvm_intel and kvm_amd only, except the VM references and page tracking that
     * kvmgt links too.
     */
    public static TestKernel kernel(Host host) {
        TestKernel k = new TestKernel(host);
        k.exportFor((module, symbol) -> symbol.equals(KVM_GET_KVM) || symbol.equals(KVM_PUT_KVM)
                || symbol.startsWith("kvm_page_track_") ? List.of() : List.of("kvm_intel", "kvm_amd"));
        return k;
    }

    public static Map<String, String> kvmParams() {
        Map<String, String> p = new HashMap<>();
        p.put("halt_poll_ns", "200000");
        p.put("enable_virt_at_load", "Y");
        p.put("ignore_msrs", "N");
        p.put("report_ignored_msrs", "Y");
        p.put("dispatch", dispatch());
        return p;
    }

    /**
     * kvm.dispatch= for the tests: the system property {@code kvm.dispatch} (the build
     * runs the suite once per style), else the kernel's default.
     */
    public static String dispatch() {
        return System.getProperty("kvm.dispatch", "static_call");
    }

    public static Map<String, String> vmxParams() {
        Map<String, String> p = new HashMap<>();
        p.put("vpid", "Y");
        p.put("ept", "Y");
        p.put("preemption_timer", "Y");
        p.put("vmentry_l1d_flush", "cond");
        return p;
    }

    public static Map<String, String> svmParams() {
        Map<String, String> p = new HashMap<>();
        p.put("npt", "1");
        p.put("nrips", "1");
        p.put("avic", "N");
        return p;
    }

    public static int loadKvm(TestKernel k) {
        return k.load("kvm", new KvmModule(), kvmParams());
    }

    /** kvm with {@code kvm.dispatch=style}: ops, static_call or direct. */
    public static int loadKvm(TestKernel k, String style) {
        Map<String, String> p = kvmParams();
        p.put("dispatch", style);
        return k.load("kvm", new KvmModule(), p);
    }

    public static int loadIntel(TestKernel k) {
        return loadIntel(k, vmxParams());
    }

    public static int loadIntel(TestKernel k, Map<String, String> params) {
        return k.load("kvm_intel", new VmxModule(), params, VMX_IMPORTS);
    }

    public static int loadAmd(TestKernel k) {
        return loadAmd(k, svmParams());
    }

    public static int loadAmd(TestKernel k, Map<String, String> params) {
        return k.load("kvm_amd", new SvmModule(), params, SVM_IMPORTS);
    }

    private Kvms() {}
}
