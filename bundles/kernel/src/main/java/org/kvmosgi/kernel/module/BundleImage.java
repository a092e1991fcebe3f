package org.kvmosgi.kernel.module;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.WeakHashMap;
import org.kvmosgi.kernel.symbol.SymbolTable;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.wiring.BundleRevision;

/**
 * A module bundle as the loader's {@link ModuleImage}: its .modinfo from the bundle's
 * declared capabilities, its file from its location, its exports as services registered
 * through its own context, its unload a framework stop.
 */
public final class BundleImage implements ModuleImage {
    /** Each module file's size, by revision: a kept bundle is measured once, a changed file again. */
    private static final Map<BundleRevision, Long> SIZES = Collections.synchronizedMap(new WeakHashMap<>());

    private final Bundle bundle;

    public BundleImage(Bundle bundle) {
        this.bundle = bundle;
    }

    public Bundle bundle() {
        return bundle;
    }

    @Override
    public String name() {
        return bundle.getSymbolicName();
    }

    @Override
    public ModInfo modinfo() throws ModInfo.FormatError {
        return ModInfo.read(bundle);
    }

    /** The file the bundle was installed from (its location), or null when it came from elsewhere. */
    @Override
    public Path file() {
        String location = bundle.getLocation();
        if (location.startsWith("reference:")) {
            location = location.substring("reference:".length());
        }
        if (!location.startsWith("file:")) {
            return null;
        }
        try {
            // no stat here: the signature check's one stat finds a missing file (unsigned, as no signature can be read)
            return Path.of(URI.create(location));
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return null;
        }
    }

    @Override
    public long coreSize() {
        BundleRevision rev = bundle.adapt(BundleRevision.class);
        if (rev == null) {
            return measure();
        }
        return SIZES.computeIfAbsent(rev, r -> measure());
    }

    private long measure() {
        long bytes = 0;
        Enumeration<URL> e = bundle.findEntries("/", "*.class", true);
        if (e != null) {
            while (e.hasMoreElements()) {
                try (InputStream in = e.nextElement().openStream()) {
                    bytes += in.transferTo(OutputStream.nullOutputStream());
                } catch (IOException ignored) {
                    // an unreadable entry adds nothing
                }
            }
        }
        return pages(bytes);
    }

    /** Bytes rounded up to pages, one page at least. */
    static long pages(long bytes) {
        return Math.max(4096, (bytes + 4095) / 4096 * 4096);
    }

    @Override
    public SymbolTable.Registration export(SymbolTable table, String owner, String symbol, boolean gplOnly,
            String namespace, Class<?> type, Object value) {
        return table.register(bundle.getBundleContext(), owner, symbol, gplOnly, namespace, type, value);
    }

    @Override
    public void stop() throws StopFailed {
        try {
            bundle.stop(Bundle.STOP_TRANSIENT);
        } catch (BundleException e) {
            throw new StopFailed(e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BundleImage b && b.bundle.equals(bundle);
    }

    @Override
    public int hashCode() {
        return bundle.hashCode();
    }

    @Override
    public String toString() {
        return bundle.toString();
    }
}
