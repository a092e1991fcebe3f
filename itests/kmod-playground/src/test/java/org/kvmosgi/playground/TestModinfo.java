package org.kvmosgi.playground;

import static org.junit.Assert.assertEquals;

import org.junit.Ignore;
import org.junit.Test;
import org.kvmosgi.kmod.Run;

/**
 * kmod's testsuite/test-modinfo.c against the model's modinfo: the DEFINE_MODINFO_TEST
 * fields of /mod-simple.ko, the external and the built-in module, with
 * rootfs-pristine/test-modinfo's correct-*.txt as expected stdout.
 */
public class TestModinfo {
    /** rootfs-pristine/test-modinfo: mod-simple.ko at the root (the x86_64 build of kmod's playground). */
    private static Run field(String field) throws Exception {
        return new Rootfs("4.4.4").ko("/mod-simple.ko", "mod-simple").modinfo("-F", field, "/mod-simple.ko");
    }

    private static void assertField(String field, String expected) throws Exception {
        Run r = field(field);
        assertEquals(expected, r.out);
        assertEquals("", r.stderr());
        assertEquals(0, r.status);
    }

    @Test
    public void test_modinfo_filename() throws Exception {
        assertField("filename", "/mod-simple.ko\n");
    }

    @Test
    public void test_modinfo_author() throws Exception {
        assertField("author", "Lucas De Marchi <lucas.demarchi@intel.com>\n");
    }

    /** correct-license.txt ends with an empty line of its own, which kmod's comparison of stdout does not see. */
    @Test
    public void test_modinfo_license() throws Exception {
        assertField("license", "GPL\n");
    }

    @Test
    public void test_modinfo_description() throws Exception {
        assertField("description", "dummy test module\n");
    }

    /** mod-simple has no parameters: correct-parm.txt is empty. */
    @Test
    public void test_modinfo_parm() throws Exception {
        assertField("parm", "");
    }

    /** depends= is there and empty (modpost writes it for every module): one empty line. */
    @Test
    public void test_modinfo_depends() throws Exception {
        assertField("depends", "\n");
    }

    @Ignore("test_modinfo_signer: mod-simple-{sha1,sha256,pkcs7}.ko carry signatures by kmod's own test keys (fixed signer, key id, hash); the playground bundles are signed with the build's generated key, whose fields itests' SignedModulesTest checks")
    @Test
    public void test_modinfo_signer() {
    }

    @Ignore("test_modinfo_sig_key: mod-simple-{sha1,sha256,pkcs7}.ko carry signatures by kmod's own test keys (fixed signer, key id, hash); the playground bundles are signed with the build's generated key, whose fields itests' SignedModulesTest checks")
    @Test
    public void test_modinfo_sig_key() {
    }

    @Ignore("test_modinfo_sig_hashalgo: mod-simple-{sha1,sha256,pkcs7}.ko carry signatures by kmod's own test keys (fixed signer, key id, hash); the playground bundles are signed with the build's generated key, whose fields itests' SignedModulesTest checks")
    @Test
    public void test_modinfo_sig_hashalgo() {
    }

    @Test
    public void test_modinfo_external() throws Exception {
        Rootfs root = new Rootfs("4.4.4").ko("/lib/modules/external/", "mod-simple")
                .file("/lib/modules/4.4.4/modules.dep", "/lib/modules/external/mod-simple.ko:\n")
                .file("/lib/modules/4.4.4/modules.alias", "# Aliases extracted from modules themselves.\n")
                .file("/lib/modules/4.4.4/modules.symbols", "# Aliases for symbols, used by symbol_request().\n");
        Run r = root.modinfo("-F", "filename", "mod-simple");
        assertEquals("/lib/modules/external/mod-simple.ko\n", r.out);
        assertEquals(0, r.status);
    }

    @Test
    public void test_modinfo_builtin() throws Exception {
        // rootfs-pristine/test-modinfo/builtin: modules.builtin.bin knows intel_uncore; the model reads the text index
        Rootfs root = new Rootfs("6.11.0")
                .file("/lib/modules/6.11.0/modules.builtin", "kernel/arch/x86/events/intel/intel-uncore.ko\n")
                .file("/lib/modules/6.11.0/modules.builtin.modinfo", "rapl.license=GPL\0rapl.file=arch/x86/events/rapl\0"
                        + "rapl.description=Support Intel/AMD RAPL energy consumption counters\0"
                        + "amd_uncore.license=GPL v2\0amd_uncore.file=arch/x86/events/amd/amd-uncore\0"
                        + "amd_uncore.description=AMD Uncore Driver\0intel_uncore.license=GPL\0"
                        + "intel_uncore.file=arch/x86/events/intel/intel-uncore\0"
                        + "intel_uncore.description=Support for Intel uncore performance events\0"
                        + "intel_uncore.parm=uncore_no_discover:Don't enable the Intel uncore PerfMon discovery mechanism "
                        + "(default: enable the discovery mechanism).\0intel_uncore.parmtype=uncore_no_discover:bool\0");
        Run r = root.modinfo("intel_uncore");
        assertEquals("name:           intel_uncore\n"
                + "filename:       (builtin)\n"
                + "license:        GPL\n"
                + "file:           arch/x86/events/intel/intel-uncore\n"
                + "description:    Support for Intel uncore performance events\n"
                + "parm:           uncore_no_discover:Don't enable the Intel uncore PerfMon discovery mechanism "
                + "(default: enable the discovery mechanism). (bool)\n", r.out);
        assertEquals("", r.stderr());
        assertEquals(0, r.status);
    }
}
