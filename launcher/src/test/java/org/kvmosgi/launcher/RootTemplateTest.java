package org.kvmosgi.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class RootTemplateTest {
    private static final String RELEASE = "6.1.0-test";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path dist;
    private Path templates;
    private Path root;
    private Path template;

    @Before
    public void distribution() throws IOException {
        dist = tmp.newFolder("dist").toPath();
        templates = tmp.getRoot().toPath().resolve("roots");
        root = tmp.getRoot().toPath().resolve("root");
        template = templates.resolve("platform+mods@" + RELEASE);
        Files.createDirectories(dist.resolve("features"));
        Files.writeString(dist.resolve("features/platform.json"), "{ \"id\": \"org.kvmosgi:features:json:platform:1.0\","
                + " \"bundles\": [ { \"id\": \"org.example:b-second:2.0\" }, { \"id\": \"org.example:a-first:1.0\" } ] }");
        Files.writeString(dist.resolve("features/mods.json"), "{ \"id\": \"org.kvmosgi:features:json:mods:1.0\", \"extensions\": {"
                + " \"kvmosgi-modules\": { \"kind\": \"mandatory\", \"artifacts\": ["
                + "   { \"id\": \"org.example:fixtures:jar:mod_a:1.0\", \"file\": \"kernel/mod-a.ko\" } ] } } }");
        artifact("org/example/b-second/2.0/b-second-2.0.jar", "B");
        artifact("org/example/a-first/1.0/a-first-1.0.jar", "A");
        artifact("org/example/fixtures/1.0/fixtures-1.0-mod_a.jar", "MOD A");
    }

    @Test
    public void theFirstBootLaysOutTheTemplateAndEveryBootGetsTheSameRootAndBundles() throws IOException {
        List<Path> direct = RootFs.create(dist, List.of("platform", "mods"), tmp.getRoot().toPath().resolve("direct"), RELEASE);

        List<Path> first = create();
        assertNotNull("the template is there and current", RootTemplate.bundlesIfCurrent(template));
        Files.writeString(template.resolve("lib/modules/" + RELEASE + "/kernel/mod-a.ko"), "FROM THE TEMPLATE");
        List<Path> second = create();

        assertEquals(direct, first);
        assertEquals(direct, second);
        assertEquals("the second boot copied the template instead of reading the features", "FROM THE TEMPLATE",
                Files.readString(root.resolve("lib/modules/" + RELEASE + "/kernel/mod-a.ko")));
        assertEquals("kernel/mod-a.ko\n", Files.readString(root.resolve("lib/modules/" + RELEASE + "/modules.order")));
        assertTrue(Files.exists(root.resolve(RootFs.MARKER)));
        assertFalse("the template's index stays in the template", Files.exists(root.resolve(RootTemplate.INDEX)));
    }

    @Test
    public void eachBootGetsAFreshRoot() throws IOException {
        create();
        Files.writeString(root.resolve("etc/leftover"), "from the last session");
        Files.delete(root.resolve("lib/modules/" + RELEASE + "/kernel/mod-a.ko"));

        create();

        assertFalse(Files.exists(root.resolve("etc/leftover")));
        assertEquals("MOD A", Files.readString(root.resolve("lib/modules/" + RELEASE + "/kernel/mod-a.ko")));
    }

    @Test
    public void aChangedModuleFileOrFeatureFileMakesANewTemplate() throws IOException {
        create();
        Path module = artifact("org/example/fixtures/1.0/fixtures-1.0-mod_a.jar", "MOD A, REBUILT");
        assertNull("a module file of another size", RootTemplate.bundlesIfCurrent(template));

        create();
        assertEquals("MOD A, REBUILT", Files.readString(root.resolve("lib/modules/" + RELEASE + "/kernel/mod-a.ko")));
        assertNotNull(RootTemplate.bundlesIfCurrent(template));

        Path feature = dist.resolve("features/platform.json");
        Files.setLastModifiedTime(feature, FileTime.fromMillis(Files.getLastModifiedTime(feature).toMillis() + 2000));
        assertNull("a feature file of another modification time", RootTemplate.bundlesIfCurrent(template));
        Files.delete(module);
        assertNull("a module file that is gone", RootTemplate.bundlesIfCurrent(template));
    }

    @Test
    public void eachFeatureListHasATemplateOfItsOwn() throws IOException {
        create();
        List<Path> platformOnly = RootTemplate.create(dist, List.of("platform"), templates, root, RELEASE);

        assertEquals(2, platformOnly.size());
        assertFalse(Files.exists(root.resolve("lib/modules/" + RELEASE + "/kernel/mod-a.ko")));
        assertNotNull(RootTemplate.bundlesIfCurrent(template));
        assertNotNull(RootTemplate.bundlesIfCurrent(templates.resolve("platform@" + RELEASE)));
    }

    @Test
    public void depmodsIndexesOfABootAreKeptForTheNextWhenTheSessionLeftThemAlone() throws IOException {
        create();
        Path modules = root.resolve("lib/modules/" + RELEASE);
        Files.writeString(modules.resolve("modules.dep"), "kernel/mod-a.ko:\n");
        Files.writeString(modules.resolve("modules.alias"), "# Aliases extracted from modules themselves.\n");
        RootTemplate.Indexes indexes = RootTemplate.Indexes.afterBoot(template, root, RELEASE);
        assertNotNull(indexes);
        indexes.keepIfUnchanged();

        create();
        assertEquals("kernel/mod-a.ko:\n", Files.readString(modules.resolve("modules.dep")));
        assertEquals("the times are copied: depmod -A finds the index newer than the modules",
                Files.getLastModifiedTime(template.resolve("lib/modules/" + RELEASE + "/modules.dep")),
                Files.getLastModifiedTime(modules.resolve("modules.dep")));
        assertTrue(Files.exists(modules.resolve("modules.alias")));
        assertNull("the template has them now", RootTemplate.Indexes.afterBoot(template, root, RELEASE));
    }

    @Test
    public void indexesTheSessionRewroteOrThatAreOlderThanAModuleAreNotKept() throws IOException {
        create();
        Path modules = root.resolve("lib/modules/" + RELEASE);
        Path dep = Files.writeString(modules.resolve("modules.dep"), "kernel/mod-a.ko:\n");
        RootTemplate.Indexes indexes = RootTemplate.Indexes.afterBoot(template, root, RELEASE);
        Files.writeString(dep, "kernel/mod-a.ko:\nkernel/new.ko:\n");
        indexes.keepIfUnchanged();
        assertFalse(Files.exists(template.resolve("lib/modules/" + RELEASE + "/modules.dep")));

        Path ko = modules.resolve("kernel/mod-a.ko");
        Files.setLastModifiedTime(ko, FileTime.fromMillis(Files.getLastModifiedTime(dep).toMillis() + 5000));
        assertNull("depmod -A would run again", RootTemplate.Indexes.afterBoot(template, root, RELEASE));
    }

    private List<Path> create() throws IOException {
        return RootTemplate.create(dist, List.of("platform", "mods"), templates, root, RELEASE);
    }

    private Path artifact(String path, String content) throws IOException {
        Path p = dist.resolve("system").resolve(path);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, content);
    }
}
