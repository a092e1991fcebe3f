package org.kvmosgi.testsupport;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import aQute.bnd.osgi.Analyzer;
import aQute.bnd.osgi.Jar;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import org.junit.Test;

public class KitBundleTest {

    @Test
    public void theKitBundlesImportsAreWhatBndFindsItsClassesUse() throws Exception {
        try (Jar jar = new Jar(KvmOsgi.kitBundle().toFile()); Analyzer bnd = new Analyzer(jar)) {
            bnd.setProperty("Export-Package", KvmOsgi.KIT_PACKAGE);
            bnd.setProperty("Import-Package", "*");
            bnd.calcManifest();
            Set<String> used = new TreeSet<>();
            bnd.getImports().keySet().forEach(p -> used.add(p.getFQN()));
            used.removeIf(p -> p.startsWith("java."));
            assertEquals(new TreeSet<>(Set.of(KvmOsgi.KIT_IMPORTS.split(","))), used);
        }
    }

    @Test
    public void theKitBundleHoldsTheWholePackage() throws Exception {
        try (JarFile jar = new JarFile(KvmOsgi.kitBundle().toFile())) {
            Set<String> names = new TreeSet<>();
            jar.stream().forEach(e -> names.add(e.getName()));
            for (String c : new String[] {"Shell", "Shell$Result", "Kernel", "Kernel$Module", "KernelAssert"}) {
                assertTrue(names.toString(), names.contains("org/kvmosgi/testsupport/kit/" + c + ".class"));
            }
            assertEquals("org.kvmosgi.testsupport.kit;version=\"1.0.0\"",
                    jar.getManifest().getMainAttributes().getValue("Export-Package"));
        }
    }
}
