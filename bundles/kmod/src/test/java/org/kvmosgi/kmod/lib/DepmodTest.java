package org.kvmosgi.kmod.lib;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.List;
import org.junit.Test;
import org.kvmosgi.kernel.api.modinfo.ModuleInfo;

public class DepmodTest {
    static Depmod.Module mod(String relpath, List<String> exports, List<String> imports) {
        return mod(relpath, exports, imports, List.of(), "");
    }

    static Depmod.Module mod(String relpath, List<String> exports, List<String> imports, List<String> aliases,
            String softdep) {
        List<ModuleInfo.Export> ex = new ArrayList<>();
        for (String e : exports) {
            ex.add(new ModuleInfo.Export(e, false, List.of(), ""));
        }
        return new Depmod.Module(relpath, new ModuleInfo(ModName.fromPath(relpath), "GPL", "", "", "", "",
                aliases, imports, List.of(), softdep, ex, List.of()));
    }

    @Test
    public void chainListsClosestFirstDeepestLast() throws Exception {
        Depmod d = new Depmod(List.of(
                mod("kernel/c.ko", List.of("c_fn"), List.of()),
                mod("kernel/b.ko", List.of("b_fn"), List.of("c_fn")),
                mod("kernel/a.ko", List.of(), List.of("b_fn", "c_fn"))));
        assertEquals("kernel/c.ko:\nkernel/b.ko: kernel/c.ko\nkernel/a.ko: kernel/b.ko kernel/c.ko\n",
                d.modulesDep());
    }

    @Test
    public void kvmIntelAsLinuxWritesIt() throws Exception {
        Depmod d = new Depmod(List.of(
                mod("kernel/virt/lib/irqbypass.ko", List.of("irq_bypass_register_consumer"), List.of()),
                mod("kernel/arch/x86/kvm/kvm.ko", List.of("kvm_init"), List.of("irq_bypass_register_consumer")),
                mod("kernel/arch/x86/kvm/kvm-intel.ko", List.of(), List.of("kvm_init"))));
        assertEquals("kernel/arch/x86/kvm/kvm-intel.ko: kernel/arch/x86/kvm/kvm.ko kernel/virt/lib/irqbypass.ko",
                d.modulesDep().split("\n")[2]);
        ModulesDep parsed = ModulesDep.parse(d.modulesDep());
        // libkmod reads the line back deepest first: that is the load order
        assertEquals(List.of("irqbypass", "kvm"), parsed.loadOrderDeps("kvm_intel"));
    }

    @Test
    public void theLastExporterInModuleOrderOwnsTheSymbol() throws Exception {
        Depmod d = new Depmod(List.of(
                mod("kernel/first.ko", List.of("dup"), List.of()),
                mod("kernel/second.ko", List.of("dup"), List.of()),
                mod("kernel/user.ko", List.of(), List.of("dup"))));
        assertEquals("second", d.symbolOwner("dup"));
        assertEquals("kernel/user.ko: kernel/second.ko", d.modulesDep().split("\n")[2]);
        assertEquals("# Aliases for symbols, used by symbol_request().\nalias symbol:dup second\n",
                d.modulesSymbols());
    }

    @Test
    public void aModuleInUpdatesHidesItsNamesake() throws Exception {
        Depmod d = new Depmod(List.of(
                mod("kernel/arch/x86/kvm/kvm.ko", List.of("kvm_init"), List.of()),
                mod("updates/kvm.ko", List.of("kvm_init"), List.of()),
                mod("kernel/arch/x86/kvm/kvm-intel.ko", List.of(), List.of("kvm_init"))));
        assertEquals("updates/kvm.ko:\nkernel/arch/x86/kvm/kvm-intel.ko: updates/kvm.ko\n", d.modulesDep());
    }

    @Test
    public void cyclesAreReportedOnceThenCounted() {
        try {
            new Depmod(List.of(
                    mod("kernel/a.ko", List.of("a_fn"), List.of("b_fn")),
                    mod("kernel/b.ko", List.of("b_fn"), List.of("a_fn")),
                    mod("kernel/c.ko", List.of(), List.of("a_fn"))));
            fail("no cycle found");
        } catch (Depmod.CycleError e) {
            assertEquals(List.of("Cycle detected: a -> b -> a", "Found 2 modules in dependency cycles!"),
                    e.lines());
        }
    }

    @Test
    public void cycleReportKeepsDepmodsQuirks() {
        // the drm/cec report from linux-next (2024): a module reached from a cycle that has
        // dependencies of its own is reported as a one-module "cycle" and not counted
        try {
            new Depmod(List.of(
                    mod("kernel/drm_kms_helper.ko", List.of("kms_fn"), List.of("drm_fn")),
                    mod("kernel/drm.ko", List.of("drm_fn"), List.of("kms_fn", "cec_fn")),
                    mod("kernel/cec.ko", List.of("cec_fn"), List.of("rc_fn")),
                    mod("kernel/rc_core.ko", List.of("rc_fn"), List.of())));
            fail("no cycle found");
        } catch (Depmod.CycleError e) {
            assertEquals(List.of("Cycle detected: drm_kms_helper -> drm -> drm_kms_helper", "Cycle detected: cec",
                    "Found 2 modules in dependency cycles!"), e.lines());
        }
    }

    @Test
    public void aliasesSoftdepsDevnamesAndUnknownSymbols() throws Exception {
        Depmod d = new Depmod(List.of(
                mod("kernel/kvm.ko", List.of(), List.of("nowhere"), List.of("devname:kvm", "char-major-10-232"),
                        "pre: irqbypass")));
        assertEquals("# Aliases extracted from modules themselves.\nalias devname:kvm kvm\n"
                + "alias char-major-10-232 kvm\n", d.modulesAlias());
        assertEquals("# Soft dependencies extracted from modules themselves.\nsoftdep kvm pre: irqbypass\n",
                d.modulesSoftdep());
        assertEquals("# Device nodes to trigger on-demand module loading.\nkvm kvm c10:232\n", d.modulesDevname());
        assertEquals(List.of("/lib/modules/6.13/kernel/kvm.ko needs unknown symbol nowhere"),
                d.unknownSymbolWarnings("/lib/modules/6.13"));
    }

    @Test
    public void aliasIndexMatchesNormalizedNames() {
        AliasIndex idx = AliasIndex.parse("# Aliases extracted from modules themselves.\n"
                + "alias fixture:exporter mod_exporter\nalias cpu:type:x86,ven*fam*mod*:feature:*0085* kvm_intel\n"
                + "alias foo-bar* mod_a\n");
        assertEquals(List.of("mod_exporter"), idx.match("fixture:exporter"));
        assertEquals(List.of("kvm_intel"), idx.match("cpu:type:x86,ven0000fam0006mod003A:feature:,0085,"));
        assertEquals(List.of("mod_a"), idx.match(ModName.underscores("foo-bar-baz")));
        assertEquals(List.of(), idx.match("nothing"));
    }
}
