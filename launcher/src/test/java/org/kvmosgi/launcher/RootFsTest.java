package org.kvmosgi.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.felix.feature.impl.IDImpl;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class RootFsTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path dist;
    private Path root;

    @Before
    public void distribution() throws IOException {
        dist = tmp.newFolder("dist").toPath();
        root = tmp.getRoot().toPath().resolve("root");
        feature("platform", "{ \"id\": \"org.kvmosgi:features:json:platform:1.0\", \"bundles\": ["
                + " { \"id\": \"org.example:b-second:2.0\" }, { \"id\": \"org.example:a-first:1.0\" } ] }");
        feature("mods", "{ \"id\": \"org.kvmosgi:features:json:mods:1.0\", \"extensions\": {"
                + " \"kvmosgi-modules\": { \"kind\": \"mandatory\", \"artifacts\": ["
                + "   { \"id\": \"org.example:fixtures:jar:mod_a:1.0\", \"file\": \"kernel/drivers/test/mod-a.ko\" },"
                + "   { \"id\": \"org.example:fixtures:jar:mod_b:1.0\", \"file\": \"kernel/mod-b.ko\" } ] },"
                + " \"kvmosgi-modprobe.d\": { \"kind\": \"optional\", \"text\": [ \"options mod_a x=1\", \"blacklist mod_b\" ] } } }");
        artifact("org/example/b-second/2.0/b-second-2.0.jar", "B");
        artifact("org/example/a-first/1.0/a-first-1.0.jar", "A");
        artifact("org/example/fixtures/1.0/fixtures-1.0-mod_a.jar", "MOD A");
        artifact("org/example/fixtures/1.0/fixtures-1.0-mod_b.jar", "MOD B");
    }

    @Test
    public void laysOutModulesAndConfigurationAndReturnsBundlesInFeatureOrder() throws IOException {
        List<Path> bundles = RootFs.create(dist, List.of("platform", "mods"), root, "6.1.0-test");

        assertEquals(List.of(dist.resolve("system/org/example/b-second/2.0/b-second-2.0.jar"),
                dist.resolve("system/org/example/a-first/1.0/a-first-1.0.jar")), bundles);
        Path modules = root.resolve("lib/modules/6.1.0-test");
        assertEquals("MOD A", Files.readString(modules.resolve("kernel/drivers/test/mod-a.ko")));
        assertEquals("MOD B", Files.readString(modules.resolve("kernel/mod-b.ko")));
        assertEquals("options mod_a x=1\nblacklist mod_b\n", Files.readString(root.resolve("etc/modprobe.d/mods.conf")));
        assertTrue(Files.isDirectory(root.resolve("etc/modules-load.d")));
        assertTrue(Files.exists(root.resolve(RootFs.MARKER)));
    }

    @Test
    public void theDefaultReleaseIsTheContractsOne() throws IOException {
        RootFs.create(dist, List.of("mods"), root);
        assertTrue(Files.isRegularFile(root.resolve("lib/modules/6.13.0-kvmosgi/kernel/mod-b.ko")));
    }

    @Test
    public void eachLayoutStartsFresh() throws IOException {
        RootFs.create(dist, List.of("platform", "mods"), root);
        Files.writeString(root.resolve("lib/modules/6.13.0-kvmosgi/modules.dep"), "stale");
        Files.writeString(root.resolve("etc/leftover"), "stale");

        RootFs.create(dist, List.of("platform"), root);

        assertFalse(Files.exists(root.resolve("lib/modules/6.13.0-kvmosgi/modules.dep")));
        assertFalse(Files.exists(root.resolve("etc/leftover")));
        assertFalse(Files.exists(root.resolve("lib/modules/6.13.0-kvmosgi/kernel/mod-b.ko")));
        assertTrue(Files.isDirectory(root.resolve("lib/modules/6.13.0-kvmosgi")));
    }

    @Test
    public void refusesToWipeADirectoryItDidNotLayOut() throws IOException {
        Files.createDirectories(root);
        Path precious = Files.writeString(root.resolve("precious.txt"), "keep me");
        assertFails("refusing to lay out a root file system in " + root
                + ": it is not empty and was not laid out by kvm-osgi", List.of("platform"));
        assertEquals("keep me", Files.readString(precious));
    }

    @Test
    public void anUnknownFeatureNamesTheKnownOnes() {
        assertFails("unknown feature 'kvm-x86' (available: mods, platform)", List.of("platform", "kvm-x86"));
    }

    @Test
    public void aMissingArtifactSaysWhichAndWhere() throws IOException {
        Files.delete(dist.resolve("system/org/example/fixtures/1.0/fixtures-1.0-mod_b.jar"));
        assertFails("feature mods names org.example:fixtures:jar:mod_b:1.0, which is missing from "
                + dist.resolve("system") + " (rebuild the distribution: mvn -DskipTests install)", List.of("mods"));
    }

    @Test
    public void aModuleFileMustStayBelowTheModuleDirectory() throws IOException {
        feature("evil", "{ \"id\": \"g:evil:json:evil:1\", \"extensions\": { \"kvmosgi-modules\": { \"artifacts\": ["
                + " { \"id\": \"org.example:fixtures:jar:mod_a:1.0\", \"file\": \"../../../etc/passwd\" } ] } } }");
        assertFails("feature evil: module org.example:fixtures:jar:mod_a:1.0 has file \"../../../etc/passwd\","
                + " which is not a path below /lib/modules/<release>/", List.of("evil"));
        feature("nofile", "{ \"id\": \"g:nofile:json:nofile:1\", \"extensions\": { \"kvmosgi-modules\": { \"artifacts\": ["
                + " { \"id\": \"org.example:fixtures:jar:mod_a:1.0\" } ] } } }");
        assertFails("feature nofile: module org.example:fixtures:jar:mod_a:1.0 needs metadata \"file\""
                + " (its path below /lib/modules/<release>/)", List.of("nofile"));
    }

    @Test
    public void malformedJsonNamesTheFile() throws IOException {
        feature("broken", "{ \"id\": \"g:a:1\", \"bundles\": [ ,] }");
        try {
            RootFs.create(dist, List.of("broken"), root);
            fail();
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("feature file " + dist.resolve("features/broken.json")
                    + " is not valid Feature JSON: "));
        }
    }

    @Test
    public void repositoryPathFollowsMavenLayout() {
        assertEquals(dist.resolve("g/h/a/1.0/a-1.0.jar"), RootFs.repositoryPath(dist, new IDImpl("g.h", "a", "1.0", null, null)));
        assertEquals(dist.resolve("org/kvmosgi/features/1.0/features-1.0-platform.json"),
                RootFs.repositoryPath(dist, new IDImpl("org.kvmosgi", "features", "1.0", "json", "platform")));
    }

    private void assertFails(String message, List<String> features) {
        try {
            RootFs.create(dist, features, root);
            fail("laid out " + features);
        } catch (IOException e) {
            assertEquals(message, e.getMessage());
        }
    }

    private void feature(String name, String json) throws IOException {
        Files.createDirectories(dist.resolve("features"));
        Files.writeString(dist.resolve("features").resolve(name + ".json"), json);
    }

    private void artifact(String path, String content) throws IOException {
        Path p = dist.resolve("system").resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }
}
