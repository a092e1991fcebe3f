package org.kvmosgi.console.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.ProviderMismatchException;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Syscalls;

/**
 * The model's file system as a read-only {@link FileSystem} over the kernel's system
 * calls ({@code list}, {@code read}), so that Gogo's globbing ({@code echo /etc/*},
 * {@code modprobe kvm*}) matches the model's names: the sealed session's working
 * directory is this file system's {@code /}, and a glob never reaches the host's. Only
 * what a directory walk needs is here: listing, attributes, hidden names; everything
 * else is refused.
 */
final class ModelFileSystem extends FileSystem {
    private final Syscalls sys;
    private final Provider provider = new Provider();

    ModelFileSystem(Syscalls sys) {
        this.sys = sys;
    }

    /** The model's {@code /}. */
    Path root() {
        return new ModelPath(this, java.nio.file.Paths.get("/"));
    }

    /** Directory or file, as stat(2) would say; null when there is nothing at {@code path}. */
    private Boolean isDirectory(String path) {
        try {
            sys.list(path);
            return Boolean.TRUE;
        } catch (ErrnoException | RuntimeException e) {
            // not a directory: a file, or nothing
        }
        try {
            java.nio.file.Path host = sys.hostPath(path);
            if (host != null && java.nio.file.Files.isRegularFile(host)) {
                // a file of the root file system: stat, not read (a module file is large)
                return Boolean.FALSE;
            }
        } catch (RuntimeException e) {
            // not below the root: ask read
        }
        try {
            sys.read(path);
            return Boolean.FALSE;
        } catch (ErrnoException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public FileSystemProvider provider() {
        return provider;
    }

    @Override
    public void close() {
        // nothing held
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public boolean isReadOnly() {
        return true;
    }

    @Override
    public String getSeparator() {
        return "/";
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        return List.of(root());
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return List.of();
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return Set.of("basic");
    }

    @Override
    public Path getPath(String first, String... more) {
        return new ModelPath(this, java.nio.file.Paths.get(first, more));
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        return java.nio.file.FileSystems.getDefault().getPathMatcher(syntaxAndPattern);
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        throw new UnsupportedOperationException();
    }

    @Override
    public WatchService newWatchService() {
        throw new UnsupportedOperationException();
    }

    /** A path of the model: its syntax is the host's (Unix), its files are the kernel's. */
    static final class ModelPath implements Path {
        private final ModelFileSystem fs;
        private final Path path;

        ModelPath(ModelFileSystem fs, Path path) {
            this.fs = fs;
            this.path = path;
        }

        private ModelPath wrap(Path p) {
            return p == null ? null : new ModelPath(fs, p);
        }

        private static Path unwrap(Path other) {
            if (other instanceof ModelPath) {
                return ((ModelPath) other).path;
            }
            throw new ProviderMismatchException();
        }

        /** The absolute, normalized model path the kernel is asked about. */
        String modelPath() {
            return java.nio.file.Paths.get("/").resolve(path).normalize().toString();
        }

        @Override
        public FileSystem getFileSystem() {
            return fs;
        }

        @Override
        public boolean isAbsolute() {
            return path.isAbsolute();
        }

        @Override
        public Path getRoot() {
            return wrap(path.getRoot());
        }

        @Override
        public Path getFileName() {
            return wrap(path.getFileName());
        }

        @Override
        public Path getParent() {
            return wrap(path.getParent());
        }

        @Override
        public int getNameCount() {
            return path.getNameCount();
        }

        @Override
        public Path getName(int index) {
            return wrap(path.getName(index));
        }

        @Override
        public Path subpath(int beginIndex, int endIndex) {
            return wrap(path.subpath(beginIndex, endIndex));
        }

        @Override
        public boolean startsWith(Path other) {
            return other instanceof ModelPath && path.startsWith(((ModelPath) other).path);
        }

        @Override
        public boolean endsWith(Path other) {
            return other instanceof ModelPath && path.endsWith(((ModelPath) other).path);
        }

        @Override
        public Path normalize() {
            return wrap(path.normalize());
        }

        @Override
        public Path resolve(Path other) {
            return wrap(path.resolve(unwrap(other)));
        }

        @Override
        public Path resolve(String other) {
            return wrap(path.resolve(other));
        }

        @Override
        public Path relativize(Path other) {
            return wrap(path.relativize(unwrap(other)));
        }

        @Override
        public URI toUri() {
            // no URL handler reads the model: a command that opens this URI fails
            return URI.create("kvmsh:" + modelPath());
        }

        @Override
        public Path toAbsolutePath() {
            return wrap(java.nio.file.Paths.get("/").resolve(path));
        }

        @Override
        public Path toRealPath(LinkOption... options) {
            return wrap(java.nio.file.Paths.get(modelPath()));
        }

        @Override
        public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Iterator<Path> iterator() {
            List<Path> names = new ArrayList<>();
            for (Path p : path) {
                names.add(wrap(p));
            }
            return names.iterator();
        }

        @Override
        public int compareTo(Path other) {
            return path.compareTo(unwrap(other));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ModelPath && ((ModelPath) o).fs == fs && ((ModelPath) o).path.equals(path);
        }

        @Override
        public int hashCode() {
            return path.hashCode();
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }

    private static ModelPath model(Path p) {
        if (p instanceof ModelPath) {
            return (ModelPath) p;
        }
        throw new ProviderMismatchException();
    }

    private static final class Attributes implements BasicFileAttributes {
        private static final FileTime EPOCH = FileTime.fromMillis(0);
        private final boolean directory;
        private final String key;

        Attributes(boolean directory, String key) {
            this.directory = directory;
            this.key = key;
        }

        @Override
        public FileTime lastModifiedTime() {
            return EPOCH;
        }

        @Override
        public FileTime lastAccessTime() {
            return EPOCH;
        }

        @Override
        public FileTime creationTime() {
            return EPOCH;
        }

        @Override
        public boolean isRegularFile() {
            return !directory;
        }

        @Override
        public boolean isDirectory() {
            return directory;
        }

        @Override
        public boolean isSymbolicLink() {
            return false;
        }

        @Override
        public boolean isOther() {
            return false;
        }

        @Override
        public long size() {
            return 0;
        }

        @Override
        public Object fileKey() {
            return key;
        }
    }

    private final class Provider extends FileSystemProvider {
        @Override
        public String getScheme() {
            return "kvmsh";
        }

        @Override
        public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileSystem getFileSystem(URI uri) {
            return ModelFileSystem.this;
        }

        @Override
        public Path getPath(URI uri) {
            return ModelFileSystem.this.getPath(uri.getSchemeSpecificPart());
        }

        @Override
        public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
                throws IOException {
            throw new AccessDeniedException(model(path).modelPath(), null, "the sealed shell reads the model's files with its commands only");
        }

        @Override
        public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
            ModelPath d = model(dir);
            List<String> names;
            try {
                names = sys.list(d.modelPath());
            } catch (ErrnoException e) {
                throw new NotDirectoryException(d.modelPath());
            }
            List<Path> entries = new ArrayList<>();
            for (String name : names) {
                Path entry = d.resolve(name);
                if (filter == null || filter.accept(entry)) {
                    entries.add(entry);
                }
            }
            return new DirectoryStream<Path>() {
                @Override
                public Iterator<Path> iterator() {
                    return entries.iterator();
                }

                @Override
                public void close() {
                    // a listing holds nothing open
                }
            };
        }

        @Override
        public void createDirectory(Path dir, FileAttribute<?>... attrs) {
            throw new ReadOnlyFileSystemException();
        }

        @Override
        public void delete(Path path) {
            throw new ReadOnlyFileSystemException();
        }

        @Override
        public void copy(Path source, Path target, CopyOption... options) {
            throw new ReadOnlyFileSystemException();
        }

        @Override
        public void move(Path source, Path target, CopyOption... options) {
            throw new ReadOnlyFileSystemException();
        }

        @Override
        public boolean isSameFile(Path path, Path path2) {
            return model(path).modelPath().equals(model(path2).modelPath());
        }

        @Override
        public boolean isHidden(Path path) {
            Path name = path.getFileName();
            return name != null && name.toString().startsWith(".");
        }

        @Override
        public FileStore getFileStore(Path path) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void checkAccess(Path path, AccessMode... modes) throws IOException {
            String p = model(path).modelPath();
            if (isDirectory(p) == null) {
                throw new NoSuchFileException(p);
            }
            for (AccessMode m : modes) {
                if (m != AccessMode.READ) {
                    throw new AccessDeniedException(p);
                }
            }
        }

        @Override
        public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
            return null;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
                throws IOException {
            if (!type.isAssignableFrom(Attributes.class)) {
                throw new UnsupportedOperationException(type.getName());
            }
            String p = model(path).modelPath();
            Boolean dir = isDirectory(p);
            if (dir == null) {
                throw new NoSuchFileException(p);
            }
            return (A) new Attributes(dir, p);
        }

        @Override
        public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setAttribute(Path path, String attribute, Object value, LinkOption... options) {
            throw new ReadOnlyFileSystemException();
        }
    }
}
