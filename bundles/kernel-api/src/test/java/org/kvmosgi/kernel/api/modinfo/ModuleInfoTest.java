package org.kvmosgi.kernel.api.modinfo;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.Test;

/** The one .modinfo reader: the header bnd writes, a module file's bytes, a bundle's capabilities. */
public class ModuleInfoTest {
    /** The header bnd wrote for the exporter fixture (itests/fixtures), unfolded. */
    static final String EXPORTER = "kernel.module;class=\"org.kvmosgi.fixtures.exporter.Exporter\";"
            + "kernel.module=mod_exporter;license=GPL;description=\"exports two symbols\";"
            + "alias:List<String>=\"fixture:exporter\",kernel.param;kernel.param=base;type=INT;default=0;"
            + "perm=0644;description=\"added to every sum\",kernel.symbol;kernel.symbol=exporter_add,"
            + "kernel.symbol;kernel.symbol=exporter_gpl_only;gpl=true";

    @Test
    public void readsWhatBndWrites() throws Exception {
        ModuleInfo i = ModuleInfo.fromHeader(EXPORTER);
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
        ModuleInfo i = ModuleInfo.fromHeader("kernel.module;kernel.module=kvm-intel;license=GPL;"
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
    public void sectionStringsInModinfosOrderParametersApart() throws Exception {
        ModuleInfo i = ModuleInfo.fromHeader("kernel.module;kernel.module=kvm-intel;license=GPL;author=Qumranet;"
                + "alias:List<String>=\"cpu:a,devname:kvm\";import.ns:List<String>=KVM;softdep=\"pre: irqbypass\","
                + "kernel.param;kernel.param=nested;type=BOOL;description=\"nested VMX\","
                + "kernel.param;kernel.param=ept;type=BOOL");
        assertEquals(List.of(Map.entry("license", "GPL"), Map.entry("author", "Qumranet"),
                Map.entry("alias", "cpu:a"), Map.entry("alias", "devname:kvm"), Map.entry("softdep", "pre: irqbypass"),
                Map.entry("import_ns", "KVM")), i.strings());
        assertEquals(List.of(Map.entry("parm", "nested:nested VMX"), Map.entry("parmtype", "nested:bool"),
                Map.entry("parmtype", "ept:bool")), i.paramStrings());
    }

    @Test
    public void aBundleThatIsNoModule() {
        for (String header : new String[] {null, "", "osgi.service;objectClass:List<String>=\"x\""}) {
            try {
                ModuleInfo.fromHeader(header);
                fail("accepted " + header);
            } catch (ModuleInfo.NotAModule e) {
                assertTrue(e.getMessage().contains(".modinfo"));
            }
        }
    }

    /** A jar whose manifest carries {@code header} as Provide-Capability, with the manifest first or last. */
    static byte[] jar(String header, boolean manifestFirst) throws IOException {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(new Attributes.Name("Provide-Capability"), header);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes)) {
            if (manifestFirst) {
                out.putNextEntry(new JarEntry("META-INF/MANIFEST.MF"));
                mf.write(out);
            }
            out.putNextEntry(new JarEntry("org/kvmosgi/fixtures/exporter/Exporter.class"));
            out.write(new byte[] {(byte) 0xca, (byte) 0xfe});
            if (!manifestFirst) {
                out.putNextEntry(new JarEntry("META-INF/MANIFEST.MF"));
                mf.write(out);
            }
        }
        return bytes.toByteArray();
    }

    @Test
    public void readsAModuleFileWhereverItsManifestLies() throws Exception {
        for (boolean first : new boolean[] {true, false}) {
            ModuleInfo i = ModuleInfo.read(jar(EXPORTER, first));
            assertEquals("mod_exporter", i.name());
            assertEquals(2, i.exports().size());
            assertEquals("mod_exporter_init", i.initcall());
        }
    }

    @Test
    public void aFileThatIsNoJarIsNoModule() {
        try {
            ModuleInfo.read("\177ELF not a jar".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            fail("accepted a file that is no jar");
        } catch (ModuleInfo.NotAModule e) {
            assertTrue(e.getMessage(), e.getMessage().contains("manifest") || e.getMessage().contains("not a module"));
        }
    }

    @Test
    public void stepsInitcallParameterValuesAndTheLicense() throws Exception {
        ModuleInfo i = ModuleInfo.fromHeader("kernel.module;kernel.module=kvm-amd;license=\"Dual MIT/GPL\";"
                + "steps:List<String>=\"svm_hardware_setup,svm_init_msrpm\";initcall=svm_init,"
                + "kernel.param;kernel.param=mode;type=CHARP;values:List<String>=\"a,b\","
                + "kernel.symbol;kernel.symbol=svm_x;for.modules:List<String>=kvmgt");
        assertEquals(List.of("svm_hardware_setup", "svm_init_msrpm"), i.steps());
        assertEquals("svm_init", i.initcall());
        assertEquals(List.of("a", "b"), i.params().get(0).values());
        assertEquals("charp", i.params().get(0).type());
        assertTrue(i.gplCompatible());
        assertTrue(i.exports().get(0).gplOnly());
        assertEquals("module:kvmgt", i.exports().get(0).effectiveNamespace());
    }
}
