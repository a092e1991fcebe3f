package org.kvmosgi.fuzz;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Shell lines a hostile or careless user types: every module tool, the diagnostics, the
 * VMM's VM and vCPU commands (each a sequence of /dev/kvm ioctls), parameters through
 * sysfs, fault injection, pipes into the shell's filters, and words no tool expects
 * (empty, options where names go, format strings, paths that climb out, huge numbers).
 * The session is the sealed shell's, so that even a glob stays in the model.
 */
final class ShellLines {
    private ShellLines() {
    }

    static final String DIR = "/lib/modules/6.13.0-kvmosgi/kernel/arch/x86/kvm/";

    static Arbitrary<String> module() {
        return Arbitraries.of("kvm", "kvm_intel", "kvm_amd", "kvm-intel", "irqbypass", "nosuch", "''", "'kvm*'", "kvm?", "/sys/module/kvm*",
                DIR + "kvm.ko", DIR + "kvm-intel.ko", "../../kvm", "%s", "null", "-", "--", "$nosuchvar", "'a b'");
    }

    static Arbitrary<String> param() {
        return Arbitraries.of("halt_poll_ns=0", "halt_poll_ns=-1", "halt_poll_ns=99999999999", "halt_poll_ns=",
                "vmentry_l1d_flush=bogus", "vmentry_l1d_flush=never", "ept=0", "ept=maybe", "nested=0", "nosuch=1",
                "dispatch=ops", "dispatch=direct", "dispatch=bogus", "enable_pmu", "'halt_poll_ns=1 2'");
    }

    private static Arbitrary<String> option(String... options) {
        return Arbitraries.of(options);
    }

    static Arbitrary<String> kmodLine() {
        Arbitrary<String> modprobe = Combinators.combine(option("", "-v", "-q", "-r", "-n", "-a", "--first-time",
                "-i", "-b", "--show-depends", "-c", "-x"), module(), param().injectNull(0.5))
                .as((o, m, p) -> "modprobe " + o + " " + m + (p == null ? "" : " " + p));
        Arbitrary<String> rmmod = Combinators.combine(option("", "-v", "-s", "-x"), module())
                .as((o, m) -> "rmmod " + o + " " + m);
        Arbitrary<String> insmod = Combinators.combine(module(), param().injectNull(0.5))
                .as((m, p) -> "insmod " + m + (p == null ? "" : " " + p));
        Arbitrary<String> modinfo = Combinators.combine(option("", "-F parm", "-F depends", "-p", "-0", "-F", "-k"), module())
                .as((o, m) -> "modinfo " + o + " " + m);
        Arbitrary<String> sysfs = Combinators.combine(Arbitraries.of("kvm", "kvm_intel", "kvm_amd", "nosuch"),
                Arbitraries.of("halt_poll_ns", "vmentry_l1d_flush", "ept", "dump_invalid_vmcs", "ignore_msrs", "nosuch"),
                Arbitraries.of("0", "1", "Y", "never", "bogus", "-1", "18446744073709551616", "''"))
                .as((m, p, v) -> "echo " + v + " | tee /sys/module/" + m + "/parameters/" + p);
        Arbitrary<String> read = Arbitraries.of("lsmod", "cat /proc/modules", "ls /sys/module", "depmod -a", "depmod -n",
                "cat /sys/module/kvm/parameters/halt_poll_ns", "cat /sys/module/kvm/refcnt", "ls /dev",
                "cat /sys/kernel/debug/kvmosgi/invariants", "uname -r", "dmesg | kvmsh:tail -3",
                "lsmod | kvmsh:grep -c kvm", "dmesg | kvmsh:head -5 | kvmsh:wc -l", "cat /nowhere", "ls /..");
        return Arbitraries.oneOf(modprobe, rmmod, insmod, modinfo, sysfs, read);
    }

    static Arbitrary<String> diagLine() {
        Arbitrary<String> why = module().map(m -> "why " + m);
        Arbitrary<String> failfn = Combinators.combine(Arbitraries.of("kvm:kvm_mmu_vendor_module_init",
                "kvm:kvm_init_virtualization", "kvm:misc_register", "kvm_intel:hardware_setup",
                "kvm_intel:vmx_setup_l1d_flush", "kvm_amd:hardware_setup", "loader:layout_and_allocate",
                "loader:simplify_symbols", "loader:complete_formation", "loader:parse_args", "loader:mod_sysfs_setup",
                "loader:do_init_module", "kvm:kvm_arch_alloc_vm", "kvm:kvm_arch_init_vm", "kvm:anon_inode_getfile",
                "kvm:kvm_vcpu_cache_alloc", "kvm:kvm_run_page_alloc", "kvm:kvm_arch_vcpu_create", "kvm:create_vcpu_fd",
                "nosuch:point"), Arbitraries.of("ENOMEM", "EINVAL", "EBUSY", "ENODEV", "-5", ""))
                .as((p, e) -> "failfn inject " + p + " " + e);
        return Arbitraries.oneOf(why, failfn, Arbitraries.of("failfn clear", "failfn status", "kmemleak", "invariants",
                "why vm", "why /dev/kvm", "vmfd"));
    }

    /** A VM command: each is a sequence of /dev/kvm ioctls (KVM_CREATE_VM, KVM_CREATE_VCPU, KVM_RUN, close). */
    static Arbitrary<String> vmLine() {
        Arbitrary<String> name = Arbitraries.of("a", "b", "nosuch", "''");
        Arbitrary<String> create = Combinators.combine(option("", "--vcpus 0", "--vcpus 2", "--vcpus 1000",
                "--vcpus -1"), option("", "--mem 0", "--mem 4", "--mem 1048576", "--mem 2147483647", "--mem x"),
                option("", "--irqchip"), name).as((v, m, i, n) -> "vm create " + v + " " + m + " " + i + " " + n);
        // hlt with the in-kernel irqchip sleeps until a signal: the VMM's timer sends one
        Arbitrary<String> run = Combinators.combine(Arbitraries.of("cpuid", "vmcall", "mov_from_cr8", "mov_to_cr8",
                "inl_from_pmtimer", "inl_from_qemu", "inl_from_kernel", "outl_to_kernel", "rd_tsc_adjust_msr",
                "wr_tsc_adjust_msr", "mmio_write", "mmio_read", "outl_to_qemu", "hlt", "nosuch"),
                Arbitraries.of("1", "10", "0", "-1"), option("", "--vcpu 0", "--vcpu 1", "--vcpu 99"), name)
                .as((w, n, c, vm) -> "vm run --workload " + w + " --iterations " + n + " " + c
                        + (w.equals("hlt") ? " --timeout 20 " : " ") + vm);
        Arbitrary<String> vcpu = Combinators.combine(name, option("", "0", "1", "-1", "4096"))
                .as((n, id) -> "vm vcpu " + n + " " + id);
        Arbitrary<String> other = Combinators.combine(Arbitraries.of("stat", "destroy", "list", "dispatch", "help"),
                name).as((c, n) -> "vm " + c + " " + n);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, create), net.jqwik.api.Tuple.of(3, run), net.jqwik.api.Tuple.of(2, vcpu),
                net.jqwik.api.Tuple.of(2, other),
                net.jqwik.api.Tuple.of(2, Arbitraries.of("modprobe kvm_intel", "modprobe kvm_amd", "rmmod kvm_intel",
                        "modprobe -r kvm_intel", "rmmod kvm")));
    }

    /** A case of the shell property: lines over every command. */
    static Arbitrary<List<String>> programs() {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, kmodLine()), net.jqwik.api.Tuple.of(2, diagLine()),
                net.jqwik.api.Tuple.of(3, vmLine())).list().ofMinSize(1).ofMaxSize(12);
    }

    /** A case of the ioctl property: VM and vCPU commands with a vendor module loaded first. */
    static Arbitrary<List<String>> ioctlSequences() {
        return vmLine().list().ofMinSize(1).ofMaxSize(15).map(l -> {
            java.util.List<String> withModule = new java.util.ArrayList<>();
            withModule.add("modprobe kvm_intel");
            withModule.addAll(l);
            return withModule;
        });
    }
}
