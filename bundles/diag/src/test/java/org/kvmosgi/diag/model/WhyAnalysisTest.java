package org.kvmosgi.diag.model;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class WhyAnalysisTest {
    static final String DIR = "/lib/modules/6.13.0-kvmosgi";

    static ModuleFile file(String name, List<String> imports, List<String> exports) {
        return new ModuleFile(name, DIR + "/" + name + ".ko", imports, exports, List.of(), "");
    }

    static Snapshot snapshot(List<ModuleFile> files, List<Loaded> loaded, List<Attempt> history, List<String> devices,
            List<Leak> leaks) {
        return new Snapshot("intel", DIR, Snapshot.byName(files), loaded, Snapshot.historyByName(history), devices,
                leaks, List.of());
    }

    static List<String> print(Finding f) {
        List<String> out = new ArrayList<>();
        new WhyPrinter(out::add).print(f);
        return out;
    }

    @Test
    public void failedLoadIsTheRootCauseWithStepHostMessagesAndLeaks() {
        Snapshot s = snapshot(List.of(file("mod_x", List.of(), List.of())), List.of(),
                List.of(new Attempt("mod_x", -12, "mod_x:alloc_tables", "power9", List.of("mod_x: no memory"))),
                List.of(), List.of(new Leak("mod_x", "kmalloc", "tables", 64, "mod_x:set_ops")));
        List<String> out = print(new WhyAnalysis(s).module("mod-x"));
        assertEquals("mod_x is not loaded", out.get(0));
        assertEquals("  root cause: mod_x: its last load failed with -ENOMEM (Cannot allocate memory) at "
                + "mod_x:alloc_tables, host power9", out.get(1));
        assertTrue(out.contains("      dmesg: mod_x: no memory"));
        assertTrue(out.contains("      kmemleak: left kmalloc \"tables\" (64 bytes) taken at mod_x:set_ops"));
    }

    /** Two exporters of one symbol, none loaded: why follows depmod's choice in modules.symbols. */
    @Test
    public void aSymbolTwoModulesExportIsBlamedOnDepmodsOwner() {
        List<ModuleFile> files = List.of(file("mod_dup", List.of(), List.of("exporter_add")),
                file("mod_exporter", List.of(), List.of("exporter_add")),
                file("mod_importer", List.of("exporter_add"), List.of()));
        for (String owner : List.of("mod_exporter", "mod_dup")) {
            Snapshot s = new Snapshot("intel", DIR, Snapshot.byName(files), List.of(), Map.of(), List.of(), List.of(),
                    List.of(), Map.of("exporter_add", owner));
            assertEquals(owner, s.exporterOf("exporter_add").orElseThrow().name());
        }
    }

    @Test
    public void aGplOnlySymbolIsTheCauseForANonGplModuleBeforeAndAfterItsLoad() {
        ModuleFile exporter = new ModuleFile("mod_exporter", DIR + "/mod-exporter.ko", List.of(),
                List.of("exporter_add", "exporter_gpl_only"), List.of(), "", "GPL", List.of("exporter_gpl_only"));
        ModuleFile proprietary = new ModuleFile("mod_proprietary", DIR + "/mod-proprietary.ko",
                List.of("exporter_add", "exporter_gpl_only"), List.of(), List.of(), "", "Proprietary", List.of());
        Loaded live = new Loaded("mod_exporter", 0, List.of(), false, "Live");
        String cause = "exporter_gpl_only is exported GPL-only by mod_exporter (EXPORT_SYMBOL_GPL) and mod_proprietary's "
                + "license 'Proprietary' is not GPL-compatible: the kernel does not let it link (mod_proprietary: "
                + "Unknown symbol exporter_gpl_only (err -2)), however often mod_exporter is loaded";

        List<String> before = print(new WhyAnalysis(snapshot(List.of(exporter, proprietary), List.of(live), List.of(),
                List.of(), List.of())).module("mod_proprietary"));
        assertTrue(before.toString(), before.contains("  root cause: " + cause));

        List<String> after = print(new WhyAnalysis(snapshot(List.of(exporter, proprietary), List.of(live),
                List.of(new Attempt("mod_proprietary", -2, "loader:simplify_symbols", "intel",
                        List.of("mod_proprietary: Unknown symbol exporter_gpl_only (err -2)"))), List.of(), List.of()))
                .module("mod_proprietary"));
        assertTrue(after.toString(), after.contains("  root cause: " + cause));
        assertTrue(after.toString(), after.stream().noneMatch(l -> l.contains("should work today")));
    }

    @Test
    public void aDependencysFailureComesBeforeTheImporters() {
        Snapshot s = snapshot(List.of(file("exp", List.of(), List.of("sym")), file("imp", List.of("sym"), List.of())),
                List.of(), List.of(new Attempt("exp", -5, "exp:init", "intel", List.of()),
                        new Attempt("imp", -2, "loader:simplify_symbols", "intel",
                                List.of("imp: Unknown symbol sym (err -2)"))),
                List.of(), List.of());
        List<String> out = print(new WhyAnalysis(s).module("imp"));
        assertTrue(out.get(1), out.get(1).startsWith("  root cause: exp: its last load failed with -EIO"));
        int so = out.indexOf("  so: imp imports sym from exp, which was not live");
        int last = out.indexOf("  so: imp: its last load failed with -ENOENT (No such file or directory) at "
                + "loader:simplify_symbols, host intel");
        assertTrue(out.toString(), so > 1 && last > so);
    }

    @Test
    public void anInjectedPointRunByAnotherModulesInitIsNamed() {
        Snapshot s = snapshot(List.of(file("kvm_intel", List.of(), List.of())), List.of(),
                List.of(new Attempt("kvm_intel", -12, "kvm_intel:init", "intel", List.of(
                        "FAULT_INJECTION: forcing a failure.", "Call Trace:", " kvm:misc_register"))),
                List.of(), List.of());
        assertEquals("kvm_intel: its last load failed with -ENOMEM (Cannot allocate memory) at kvm:misc_register "
                + "(in kvm_intel:init), host intel", new WhyAnalysis(s).module("kvm_intel").causes().get(0).summary());
    }

    @Test
    public void liveModuleInUse() {
        Snapshot s = snapshot(List.of(), List.of(new Loaded("kvm", 1, List.of("kvm_intel"), false, "Live")), List.of(),
                List.of(), List.of());
        assertEquals("kvm is live, in use by kvm_intel", new WhyAnalysis(s).module("kvm").summary());
    }

    @Test
    public void missingModuleFile() {
        Snapshot s = snapshot(List.of(), List.of(), List.of(), List.of(), List.of());
        assertEquals("modprobe: FATAL: Module nope not found in directory " + DIR,
                new WhyAnalysis(s).module("nope").causes().get(0).evidence().get(0));
    }

    @Test
    public void devKvmAbsentOnX86SaysWhyEachVendorIsNotLive() {
        Snapshot s = snapshot(List.of(file("kvm", List.of(), List.of()), file("kvm_intel", List.of(), List.of()),
                file("kvm_amd", List.of(), List.of())), List.of(new Loaded("kvm", 0, List.of(), false, "Live")),
                List.of(new Attempt("kvm_intel", -95, "kvm_intel:hardware_setup", "intel-vmx-off",
                        List.of("kvm_intel: VMX not enabled (by BIOS) in MSR_IA32_FEAT_CTL on CPU 0"))),
                List.of(), List.of());
        Finding f = new WhyAnalysis(s).device("/dev/kvm");
        assertTrue(f.summary(), f.summary().startsWith("/dev/kvm is absent: no vendor module (kvm_intel, kvm_amd) is live"));
        List<Finding> roots = f.roots();
        assertEquals(2, roots.size());
        assertTrue(roots.get(0).summary().contains("-EOPNOTSUPP"));
        assertTrue(roots.get(1).summary().startsWith("kvm_amd has not been loaded since boot"));
    }

    @Test
    public void powerKvmAloneCannotCreateAVm() {
        Snapshot s = snapshot(List.of(file("kvm", List.of(), List.of()), file("kvm_hv", List.of(), List.of()),
                file("kvm_pr", List.of(), List.of())), List.of(new Loaded("kvm", 0, List.of(), false, "Live")),
                List.of(new Attempt("kvm_hv", -19, "kvm_hv:init", "power9-guest", List.of()),
                        new Attempt("kvm_pr", -5, "kvm_pr:init", "power9-guest", List.of())),
                List.of("kvm"), List.of());
        Finding f = new WhyAnalysis(s).vm(0, -22);
        assertTrue(f.summary(), f.summary().startsWith("KVM_CREATE_VM(0) fails with -EINVAL: no HV or PR implementation"));
        assertEquals("observed: KVM_CREATE_VM(0) = -EINVAL (Invalid argument)", f.evidence().get(0));
        assertEquals(2, f.roots().size());
        // type 1 needs HV only
        assertEquals(1, new WhyAnalysis(s).vm(1, null).roots().size());
    }

    /**
     * The unified kvm loads when one of its built-in HV and PR works and says which one it
     * runs without: a VM of that one's type fails, and that is the layout, not a contradiction.
     */
    @Test
    public void theUnifiedKvmLiveWithoutOneImplementationRefusesItsTypeOnly() {
        List<String> messages = List.of("FAULT_INJECTION: forcing a failure.",
                "name fail_function, interval 1, probability 100, space 0, times 1", "Call Trace:",
                " kvm:kvmhv_nested_init", "kvm: Book3S HV unavailable (error -22), running PR only");
        Snapshot s = snapshot(List.of(file("kvm", List.of(), List.of())),
                List.of(new Loaded("kvm", 0, List.of(), false, "Live")),
                List.of(new Attempt("kvm", 0, null, "power8", messages)), List.of("kvm"), List.of());
        List<String> hv = print(new WhyAnalysis(s).vm(1, -22));
        assertEquals("KVM_CREATE_VM(1) fails with -EINVAL: kvm is live without its built-in HV (-EINVAL (Invalid "
                + "argument) at its load; the unified kvm loads when one of HV and PR works, and PR did)", hv.get(0));
        assertTrue(hv.toString(), hv.contains("    dmesg: kvm: Book3S HV unavailable (error -22), running PR only"));
        assertTrue(hv.toString(), hv.contains("  root cause: fail_function forced kvm:kvmhv_nested_init to fail during "
                + "kvm's load, host power8 (failfn status shows what is armed)"));
        assertTrue(hv.toString(), hv.stream().noneMatch(l -> l.contains("contradicts")));
        assertEquals(List.of("KVM_CREATE_VM(2) works: kvm is live", "    observed: KVM_CREATE_VM(2) succeeded"),
                print(new WhyAnalysis(s).vm(2, 0)));
        assertTrue(print(new WhyAnalysis(s).vm(0, 0)).get(0).startsWith("KVM_CREATE_VM(0) works"));
        // a VM of the type kvm said it runs without contradicts it
        assertTrue(print(new WhyAnalysis(s).vm(1, 0)).contains("    this contradicts the layout: kvm said its HV is "
                + "unavailable, yet the VM was created"));

        // POWER9: PR refused by the radix MMU, no injection
        Snapshot p9 = snapshot(List.of(file("kvm", List.of(), List.of())),
                List.of(new Loaded("kvm", 0, List.of(), false, "Live")), List.of(new Attempt("kvm", 0, null, "power9",
                        List.of("kvm: Book3S PR unavailable (error -5), running HV only"))), List.of("kvm"), List.of());
        List<String> pr = print(new WhyAnalysis(p9).vm(2, -22));
        assertTrue(pr.toString(), pr.get(0).startsWith("KVM_CREATE_VM(2) fails with -EINVAL: kvm is live without its "
                + "built-in PR (-EIO (Input/output error) at its load"));
        assertTrue(pr.toString(), pr.contains("  root cause: its PR init failed with -EIO (Input/output error) on host "
                + "power9"));
    }

    @Test
    public void aVmCreatedWithNoImplementationContradictsTheLayout() {
        Snapshot s = snapshot(List.of(file("kvm", List.of(), List.of()), file("kvm_hv", List.of(), List.of())),
                List.of(new Loaded("kvm", 0, List.of(), false, "Live")), List.of(), List.of("kvm"), List.of());
        assertTrue(new WhyAnalysis(s).vm(0, 0).evidence().stream().anyMatch(e -> e.contains("contradicts")));
    }

    @Test
    public void checksAddTheLayoutOpsAndBugRules() {
        Snapshot s = snapshot(List.of(file("kvm", List.of(), List.of()), file("kvm_intel", List.of(), List.of())),
                List.of(new Loaded("kvm", 0, List.of(), false, "Live")), List.of(), List.of("kvm"), List.of());
        List<String> v = Checks.check(s, List.of("refcount: x"), Map.of("kvm_x86_ops", "kvm_intel", "other_ops", ""),
                List.of("[    1.000000] BUG: ioctl 0xae01 on /dev/kvm threw java.lang.NullPointerException"));
        assertEquals(List.of("refcount: x", "kvm: /dev/kvm is present but none of kvm_intel, kvm_amd is live",
                "ops: kvm_x86_ops dispatches to kvm_intel, which is not loaded",
                "dmesg: BUG: ioctl 0xae01 on /dev/kvm threw java.lang.NullPointerException"), v);
        // kvm and kvm_intel built in (kvm-x86-builtin): not on the module list, live from boot, /dev/kvm there
        Snapshot builtin = new Snapshot("intel", DIR, Snapshot.byName(List.of(file("kvm_amd", List.of(), List.of()))),
                List.of(), Map.of(), List.of("kvm"), List.of(), List.of(), Map.of(),
                SnapshotReader.builtin("kernel/arch/x86/kvm/kvm.ko\nkernel/arch/x86/kvm/kvm-intel.ko\n"));
        assertEquals(List.of(), Checks.check(builtin, List.of(), Map.of("kvm_x86_ops", "kvm_intel"), List.of()));
        Snapshot clean = snapshot(List.of(file("mod_a", List.of(), List.of())), List.of(), List.of(), List.of(),
                List.of());
        assertEquals(List.of(), Checks.check(clean, List.of(), Map.of(), List.of("mod_a: init")));
    }
}
