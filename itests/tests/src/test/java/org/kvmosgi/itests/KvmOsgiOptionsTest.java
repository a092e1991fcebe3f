package org.kvmosgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Test;
import org.kvmosgi.testsupport.KvmOsgi;
import org.kvmosgi.testsupport.RootLayout;

/** Plain JUnit: what test-support's options leave in the root directory, in any order of the options. */
public class KvmOsgiOptionsTest {

    @Test
    public void optionsFillOneFreshRootPerPlatform() throws Exception {
        KvmOsgi.platform();
        KvmOsgi.load("mod_exporter");
        KvmOsgi.modprobeConf("mine", "options mod_params p_int=3");
        KvmOsgi.feature("fixtures");
        KvmOsgi.load("mod_chain_b", "mod_params");
        RootLayout layout = KvmOsgi.root();
        Path root = layout.root();

        assertEquals("modules-load.d survives the feature's layout, lines appended in order",
                "mod_exporter\nmod_chain_b\nmod_params\n",
                Files.readString(root.resolve("etc/modules-load.d/kvmosgi-test.conf")));
        assertEquals("options mod_params p_int=3\n", Files.readString(root.resolve("etc/modprobe.d/mine.conf")));
        Path ko = layout.module("mod_exporter");
        assertTrue(ko + " laid out", Files.isRegularFile(ko));
        assertTrue(ko.startsWith(root.resolve("lib/modules/" + RootLayout.DEFAULT_RELEASE)));
        assertEquals("mod-exporter.ko", ko.getFileName().toString());
        assertEquals("module(name) is looked up with - and _ alike", ko, layout.module("mod-exporter"));

        KvmOsgi.platform();
        assertNotEquals("the next platform() starts a new root", root, KvmOsgi.root().root());
        assertTrue("and it is empty of the old test's files",
                !Files.exists(KvmOsgi.root().root().resolve("etc/modules-load.d/kvmosgi-test.conf")));
    }
}
