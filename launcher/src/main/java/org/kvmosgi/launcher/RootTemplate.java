package org.kvmosgi.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * kvmsh's root file system, laid out once per build of the distribution and copied at each
 * boot: reading the feature files (the Feature Service and its JSON parser) is most of what
 * {@link RootFs#create} costs, and it gives the same tree every time until the distribution
 * changes.
 *
 * <p>A template is a directory below {@code templates}, one per feature list and release,
 * holding the laid-out tree and an index ({@value #INDEX}): the bundles in start order and
 * every file the layout read (feature files, bundles, module files) with its size and
 * modification time. A boot copies the tree when every one of those files is unchanged and
 * lays out a new template otherwise (after a build). Copies keep the template's
 * modification times, as {@code cp -a} would.
 *
 * <p>Each boot still gets a fresh root (a session may write to it); two kvmsh starting at
 * once may both lay out a template, and the second one's is dropped.
 */
final class RootTemplate {
    /** The template's own file: not copied into the root. */
    static final String INDEX = ".kvmosgi-template";
    private static final String BUNDLE = "bundle";
    private static final String SOURCE = "source";

    private RootTemplate() {
    }

    /**
     * Lays out {@code root} for the features, as {@link RootFs#create(Path, List, Path, String)}
     * does, from the template in {@code templates}; returns the bundle files in start order.
     */
    static List<Path> create(Path distribution, List<String> featureNames, Path templates, Path root,
            String release) throws IOException {
        Path template = of(templates, featureNames, release);
        List<Path> bundles = bundlesIfCurrent(template);
        if (bundles == null) {
            bundles = layOut(distribution, featureNames, templates, template, release);
        }
        RootFs.prepare(root);
        try {
            copy(template, root);
        } catch (NoSuchFileException e) {
            // another kvmsh replaced the template under us (a new build): lay the root out directly
            return RootFs.create(distribution, featureNames, root, release);
        }
        return bundles;
    }

    /** The template of a feature list and release below {@code templates}. */
    static Path of(Path templates, List<String> featureNames, String release) {
        return templates.resolve(String.join("+", featureNames) + "@" + release);
    }

    /** The template's bundles when it exists and every file it was made from is unchanged, else null. */
    static List<Path> bundlesIfCurrent(Path template) throws IOException {
        Path index = template.resolve(INDEX);
        if (!Files.isRegularFile(index)) {
            return null;
        }
        List<Path> bundles = new ArrayList<>();
        for (String line : Files.readAllLines(index, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t", 4);
            if (f[0].equals(BUNDLE) && f.length == 2) {
                bundles.add(Paths.get(f[1]));
            } else if (f[0].equals(SOURCE) && f.length == 4) {
                Path source = Paths.get(f[3]);
                if (!Files.isRegularFile(source) || Files.size(source) != Long.parseLong(f[1])
                        || Files.getLastModifiedTime(source).toMillis() != Long.parseLong(f[2])) {
                    return null;
                }
            } else {
                return null;
            }
        }
        return bundles;
    }

    private static List<Path> layOut(Path distribution, List<String> featureNames, Path templates, Path template,
            String release) throws IOException {
        Files.createDirectories(templates);
        Path fresh = Files.createTempDirectory(templates, ".new-");
        try {
            List<Path> sources = new ArrayList<>();
            List<Path> bundles = RootFs.create(distribution, featureNames, fresh, release, sources);
            StringBuilder index = new StringBuilder();
            for (Path b : bundles) {
                index.append(BUNDLE).append('\t').append(b.toAbsolutePath()).append('\n');
            }
            for (Path s : sources) {
                index.append(SOURCE).append('\t').append(Files.size(s)).append('\t')
                        .append(Files.getLastModifiedTime(s).toMillis()).append('\t').append(s.toAbsolutePath())
                        .append('\n');
            }
            Files.writeString(fresh.resolve(INDEX), index);
            if (Files.exists(template)) {
                // stale: move it aside in one step, so that no boot copies half of it
                Path old = Files.createTempDirectory(templates, ".old-");
                Files.move(template, old.resolve("t"), StandardCopyOption.ATOMIC_MOVE);
                RootFs.deleteContents(old);
                Files.deleteIfExists(old);
            }
            try {
                Files.move(fresh, template, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                // another kvmsh put its template there first: use that one
            }
            return bundles;
        } finally {
            if (Files.exists(fresh)) {
                RootFs.deleteContents(fresh);
                Files.deleteIfExists(fresh);
            }
        }
    }

    private static void copy(Path template, Path root) throws IOException {
        Files.walkFileTree(template, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(root.resolve(template.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path rel = template.relativize(file);
                if (!rel.toString().equals(INDEX)) {
                    Files.copy(file, root.resolve(rel.toString()), StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * depmod's indexes ({@code modules.dep}, {@code modules.alias}, ...) that kmod's boot step
     * ({@code depmod -A}) wrote into a root copied from a template without them. Seen right
     * after the boot, before the console runs a command, and kept in the template at the end of
     * the session when no file of them changed meanwhile: the next boot then finds them up to
     * date (newer than every module file, the times being copied too) and depmod has nothing
     * to do. A session that ran depmod, or a boot whose depmod had not finished, keeps nothing.
     */
    static final class Indexes {
        private final Path template;
        private final Path root;
        private final String dir;
        private final List<String> names;
        private final List<String> stamps;

        private Indexes(Path template, Path root, String dir, List<String> names, List<String> stamps) {
            this.template = template;
            this.root = root;
            this.dir = dir;
            this.names = names;
            this.stamps = stamps;
        }

        /** The root's indexes when the template lacks them and they are up to date, else null. */
        static Indexes afterBoot(Path template, Path root, String release) throws IOException {
            String dir = "lib/modules/" + release;
            Path modules = root.resolve(dir);
            Path dep = modules.resolve("modules.dep");
            if (!Files.isDirectory(template) || Files.exists(template.resolve(dir).resolve("modules.dep"))
                    || !Files.isRegularFile(dep)) {
                return null;
            }
            long depTime = Files.getLastModifiedTime(dep).toMillis();
            List<String> names = new ArrayList<>();
            boolean[] upToDate = {true};
            Files.walkFileTree(modules, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String name = file.getFileName().toString();
                    if (file.getParent().equals(modules) && name.startsWith("modules.")) {
                        if (!Files.exists(template.resolve(dir).resolve(name))) {
                            names.add(name);
                        }
                    } else if (name.endsWith(".ko") && attrs.lastModifiedTime().toMillis() > depTime) {
                        upToDate[0] = false;
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
            return upToDate[0] ? new Indexes(template, root, dir, names, stamps(root.resolve(dir), names)) : null;
        }

        /** Copies the indexes into the template when none of them changed since {@link #afterBoot}. */
        void keepIfUnchanged() throws IOException {
            Path from = root.resolve(dir);
            if (!stamps.equals(stamps(from, names))) {
                return;
            }
            Path to = template.resolve(dir);
            List<String> ordered = new ArrayList<>(names);
            // modules.dep last: a boot copying the template meanwhile either has all of them or
            // no modules.dep, and then its depmod -A writes them all again
            ordered.sort((a, b) -> Boolean.compare(a.equals("modules.dep"), b.equals("modules.dep")));
            for (String name : ordered) {
                // written beside the template and renamed: a boot copying it never sees half a file
                Path part = Files.createTempFile(template.getParent(), ".index-", "");
                Files.copy(from.resolve(name), part, StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.COPY_ATTRIBUTES);
                Files.move(part, to.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        }

        private static List<String> stamps(Path dir, List<String> names) throws IOException {
            List<String> out = new ArrayList<>();
            for (String name : names) {
                Path f = dir.resolve(name);
                out.add(Files.exists(f) ? Files.size(f) + "/" + Files.getLastModifiedTime(f).to(TimeUnit.NANOSECONDS) : "-");
            }
            return out;
        }
    }
}
