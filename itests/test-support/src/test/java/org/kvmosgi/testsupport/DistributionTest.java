package org.kvmosgi.testsupport;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Finding features and artifacts in a distribution, and in the local Maven repository without one. */
public class DistributionTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final String FIXTURES = "{\"feature-resource-version\":\"1.0\","
            + "\"id\":\"org.kvmosgi:features:json:fixtures:1.0\",\"bundles\":[],"
            + "\"extensions\":{\"kvmosgi-modules\":{\"type\":\"artifacts\",\"kind\":\"mandatory\",\"artifacts\":["
            + "{\"id\":\"org.kvmosgi:fixtures:jar:mod_a:1.0\",\"file\":\"kernel/x/mod-a.ko\"}]},"
            + "\"kvmosgi-modprobe.d\":{\"type\":\"text\",\"kind\":\"optional\",\"text\":[\"options mod_a x=1\"]}}}";

    private static Path touch(Path p, String content) throws Exception {
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    @Test
    public void modulesOfAFeatureComeFromSystemWithTheirFileNames() throws Exception {
        Path dist = tmp.newFolder("dist").toPath();
        Path repo = tmp.newFolder("repo").toPath();
        touch(dist.resolve("features/fixtures.json"), FIXTURES);
        Path jar = touch(dist.resolve("system/org/kvmosgi/fixtures/1.0/fixtures-1.0-mod_a.jar"), "jar");
        Distribution d = new Distribution(dist, repo);

        List<Distribution.ModuleFile> mods = d.modules(d.feature("fixtures"));
        assertEquals(List.of(new Distribution.ModuleFile("mod_a", jar, "kernel/x/mod-a.ko")), mods);
        assertEquals("options mod_a x=1\n", d.modprobeConf(d.feature("fixtures")));
        assertFalse("everything came from the distribution", d.usedStandIns());
    }

    @Test
    public void withoutADistributionArtifactsComeFromTheLocalRepository() throws Exception {
        Path dist = tmp.getRoot().toPath().resolve("missing");
        Path repo = tmp.newFolder("repo").toPath();
        Path jar = touch(repo.resolve("org/kvmosgi/fixtures/1.0/fixtures-1.0-mod_a.jar"), "jar");
        String v = Distribution.version();
        touch(repo.resolve("org/kvmosgi/features/" + v + "/features-" + v + "-fixtures.json"), FIXTURES);
        Distribution d = new Distribution(dist, repo);

        assertEquals(jar, d.modules(d.feature("fixtures")).get(0).bundle());
        assertTrue(d.usedStandIns());
        Path view = d.layoutSource(List.of("fixtures"));
        assertTrue("a distribution-shaped view", Files.isRegularFile(view.resolve("features/fixtures.json")));
        assertTrue(Files.isRegularFile(view.resolve("system/org/kvmosgi/fixtures/1.0/fixtures-1.0-mod_a.jar")));
    }

    @Test
    public void aMissingFeatureOrArtifactSaysWhereItLooked() throws Exception {
        Path dist = tmp.newFolder("dist").toPath();
        Path repo = tmp.newFolder("repo").toPath();
        Distribution d = new Distribution(dist, repo);
        try {
            d.feature("nope");
            fail("found a feature that does not exist");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(dist.resolve("features/nope.json").toString()));
        }
        touch(dist.resolve("features/fixtures.json"), FIXTURES);
        try {
            d.modules(d.feature("fixtures"));
            fail("a module without its bundle");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("fixtures-1.0-mod_a.jar"));
        }
    }
}
