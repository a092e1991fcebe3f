package org.kvmosgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Test;
import org.kvmosgi.testsupport.Distribution;

/**
 * Plain JUnit (no framework): the fixtures feature lists exactly the module bundles the
 * fixtures build makes, each as {@code mod-x.ko}, and each file is the bundle of that module.
 */
public class FixturesFeatureTest {

    @Test
    public void fixturesFeatureListsEveryFixtureBundle() throws Exception {
        String pom = Files.readString(Path.of(System.getProperty("kvmosgi.fixtures.pom", "../fixtures/pom.xml")));
        Matcher m = Pattern.compile("<classifier>(mod_\\w+)</classifier>").matcher(pom);
        TreeSet<String> built = new TreeSet<>();
        while (m.find()) {
            built.add(m.group(1));
        }
        assertTrue("the fixtures pom builds modules", built.size() > 10);

        Distribution dist = Distribution.find();
        List<Distribution.ModuleFile> listed = dist.modules(dist.feature("fixtures"));
        TreeSet<String> names = new TreeSet<>();
        List<String> badFiles = new ArrayList<>();
        for (Distribution.ModuleFile f : listed) {
            names.add(f.name());
            if (!f.file().endsWith("/" + f.name().replace('_', '-') + ".ko")) {
                badFiles.add(f.file());
            }
            assertTrue(f.bundle() + " exists", Files.isRegularFile(f.bundle()));
        }
        assertEquals("features/fixtures.json vs itests/fixtures/pom.xml", built, names);
        assertEquals("module files are named mod-x.ko after the module", List.of(), badFiles);
    }
}
