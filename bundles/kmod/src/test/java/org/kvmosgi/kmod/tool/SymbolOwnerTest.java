package org.kvmosgi.kmod.tool;

import static org.junit.Assert.assertEquals;

import static org.kvmosgi.kmod.TestModules.module;

import java.util.List;
import org.junit.Before;
import org.junit.Test;
import org.kvmosgi.kernel.testkit.Hosts;
import org.kvmosgi.kernel.testkit.TestKernel;
import org.kvmosgi.kmod.Run;
import org.kvmosgi.kmod.TestModules;

/**
 * Two modules export one symbol (mod_exporter, then mod_dup in modules.order): kmod's
 * rule gives it to the last, the model's depmod.d {@code symbol_owner first} to the first
 * (Yamada's rule, modpost's depends=), and depmod, modinfo and modprobe agree either way.
 */
public class SymbolOwnerTest {
    static final String DIR = "/lib/modules/" + TestKernel.RELEASE;
    final TestKernel k = new TestKernel(Hosts.profile("intel"));
    final org.kvmosgi.kernel.api.syscall.Syscalls sys = k.syscalls();

    @Before
    public void tree() throws Exception {
        k.moduleFile(DIR + "/kernel/test/mod-exporter.ko", module("mod_exporter", TestModules.ExporterAdd.class)
                .exports("exporter_add"));
        k.moduleFile(DIR + "/kernel/test/mod-dup.ko", module("mod_dup", TestModules.ExporterAdd.class)
                .exports("exporter_add"));
        k.moduleFile(DIR + "/kernel/test/mod-importer.ko", module("mod_importer", TestModules.Plain.class)
                .imports("exporter_add"));
        // kbuild's order: the exporter first; a module missing from the list would come after them all
        k.file(DIR + "/modules.order", "kernel/test/mod-exporter.ko\nkernel/test/mod-dup.ko\nkernel/test/mod-importer.ko\n");
    }

    private void assertOwner(String owner) throws Exception {
        Run d = Run.of((o, e, i) -> new DepmodTool(sys, o, e).main());
        assertEquals("", d.stderr());
        assertEquals("# Aliases for symbols, used by symbol_request().\nalias symbol:exporter_add " + owner + "\n",
                sys.read(DIR + "/modules.symbols"));
        String file = "kernel/test/" + owner.replace('_', '-') + ".ko";
        assertEquals("kernel/test/mod-exporter.ko:\nkernel/test/mod-dup.ko:\nkernel/test/mod-importer.ko: " + file + "\n",
                sys.read(DIR + "/modules.dep"));
        Run info = Run.of((o, e, i) -> new Modinfo(sys, o, e).main("-F", "depends", "mod_importer"));
        assertEquals(owner + "\n", info.out);
        Run show = Run.of((o, e, i) -> new Modprobe(sys, o, e).main("--show-depends", "mod_importer"));
        assertEquals("insmod " + DIR + "/" + file + " \ninsmod " + DIR + "/kernel/test/mod-importer.ko \n", show.out);
        Run load = Run.of((o, e, i) -> new Modprobe(sys, o, e).main("mod_importer"));
        assertEquals(null, load.failure);
        // /proc/modules lists the newest first: the importer after its dependency
        assertEquals(List.of("mod_importer", owner), k.modules());
    }

    @Test
    public void kmodGivesTheSymbolToTheLastExporterInModulesOrder() throws Exception {
        assertOwner("mod_dup");
    }

    @Test
    public void symbolOwnerFirstGivesItToTheFirstAsModpostRecordsDepends() throws Exception {
        k.file("/etc/depmod.d/owner.conf", "# Yamada's rule\nsymbol_owner first\n");
        assertOwner("mod_exporter");
    }

    @Test
    public void aBadDirectiveIsReportedAndKmodsRuleStays() throws Exception {
        k.file("/etc/depmod.d/owner.conf", "symbol_owner lowest\n");
        Run d = Run.of((o, e, i) -> new DepmodTool(sys, o, e).main());
        assertEquals("depmod: ERROR: /etc/depmod.d/owner.conf:1: ignoring bad line starting with 'symbol_owner'\n",
                d.stderr());
        assertEquals("# Aliases for symbols, used by symbol_request().\nalias symbol:exporter_add mod_dup\n",
                sys.read(DIR + "/modules.symbols"));
    }
}
