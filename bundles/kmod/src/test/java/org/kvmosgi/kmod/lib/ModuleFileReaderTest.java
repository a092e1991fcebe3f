package org.kvmosgi.kmod.lib;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import org.junit.Test;

public class ModuleFileReaderTest {
    /** The header bnd wrote for the exporter fixture (itests/fixtures), unfolded. */
    static final String EXPORTER = "kernel.module;class=\"org.kvmosgi.fixtures.exporter.Exporter\";"
            + "kernel.module=mod_exporter;license=GPL;description=\"exports two symbols\";"
            + "alias:List<String>=\"fixture:exporter\",kernel.param;kernel.param=base;type=INT;default=0;"
            + "perm=0644;description=\"added to every sum\",kernel.symbol;kernel.symbol=exporter_add,"
            + "kernel.symbol;kernel.symbol=exporter_gpl_only;gpl=true";

    @Test
    public void readsWhatBndWrites() throws Exception {
        ModuleInfo i = ModuleFileReader.fromHeader(EXPORTER);
        assertEquals("mod_exporter", i.name());
        assertEquals("GPL", i.license());
        assertEquals("exports two symbols", i.description());
        assertEquals(List.of("fixture:exporter"), i.aliases());
        assertEquals(List.of(new ModuleInfo.Export("exporter_add", false, List.of(), ""),
                new ModuleInfo.Export("exporter_gpl_only", true, List.of(), "")), i.exports());
        assertEquals(List.of(new ModuleInfo.Param("base", "int", "0", "0644", "added to every sum")), i.params());
    }

    @Test
    public void listsWithEscapedCommasImportsAndNamespaces() throws Exception {
        ModuleInfo i = ModuleFileReader.fromHeader("kernel.module;kernel.module=kvm-intel;license=GPL;"
                + "alias:List<String>=\"cpu:type:x86\\,ven*fam*mod*:feature:*0085*,devname:kvm\";"
                + "imports:List<String>=\"kvm_init,kvm_exit\";import.ns:List<String>=KVM;softdep=\"pre: irqbypass\","
                + "kernel.symbol;kernel.symbol=vmx_x;for.modules:List<String>=\"kvm_amd,kvm_intel\";ns=KVM_INTERNAL");
        assertEquals("kvm_intel", i.name());
        assertEquals(List.of("cpu:type:x86,ven*fam*mod*:feature:*0085*", "devname:kvm"), i.aliases());
        assertEquals(List.of("kvm_init", "kvm_exit"), i.imports());
        assertEquals(List.of("KVM"), i.importNamespaces());
        assertEquals("pre: irqbypass", i.softdep());
        assertEquals(List.of("kvm_amd", "kvm_intel"), i.exports().get(0).forModules());
        assertEquals("KVM_INTERNAL", i.exports().get(0).namespace());
    }

    @Test
    public void aBundleThatIsNoModule() {
        for (String header : new String[] {null, "", "osgi.service;objectClass:List<String>=\"x\""}) {
            try {
                ModuleFileReader.fromHeader(header);
                fail("accepted " + header);
            } catch (ModuleFileReader.NotAModule e) {
                assertTrue(e.getMessage().contains(".modinfo"));
            }
        }
    }
}
