package org.kvmosgi.kernel.fs;

import java.util.ArrayList;
import java.util.List;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.module.KModule;
import org.kvmosgi.kernel.module.Loader;
import org.kvmosgi.kernel.module.ModuleSigning;
import org.kvmosgi.kernel.param.CoreParams;
import org.kvmosgi.kernel.param.ParamSpec;

/**
 * /sys/module: one directory per loaded module, its attributes and parameters; a
 * built-in module has one only for its parameters with perm != 0 and its version
 * (param_sysfs_builtin), without the loaded module's attributes.
 */
public final class SysFs {
    private final Loader loader;
    /** /sys/module/kernel/parameters. */
    private final CoreParams coreParams;

    /** /sys/module/module/parameters: sig_enforce. */
    private final ModuleSigning signing;

    public SysFs(Loader loader, CoreParams coreParams, ModuleSigning signing) {
        this.loader = loader;
        this.coreParams = coreParams;
        this.signing = signing;
    }

    private KModule module(String name) {
        KModule m = loader.find(name);
        if (m == null) {
            m = loader.builtin(name);
        }
        return m != null && m.sysfsVisible() ? m : null;
    }

    private boolean builtin(KModule m) {
        return loader.builtin(m.name()) == m;
    }

    /** [module, attribute...] of a /sys/module path, or null when it is not one. */
    private static String[] parts(String path) {
        if (!path.startsWith("/sys/module/")) {
            return null;
        }
        return path.substring("/sys/module/".length()).split("/");
    }

    /** The attribute's content, or null when there is no such file. */
    String read(String path) {
        String[] p = parts(path);
        if (p == null || p.length < 2) {
            return null;
        }
        if (p[0].equals(CoreParams.SYSFS_NAME)) {
            ParamSpec core = coreParam(p);
            return core == null ? null : coreParams.values().get(core) + "\n";
        }
        if (p[0].equals(ModuleSigning.SYSFS_NAME)) {
            ParamSpec sig = sigParam(p);
            return sig == null ? null : signing.params().get(sig) + "\n";
        }
        KModule m = module(p[0]);
        if (m == null) {
            return null;
        }
        if (p.length == 2 && builtin(m)) {
            return p[1].equals("version") && !m.info().version().isEmpty() ? m.info().version() + "\n" : null;
        }
        if (p.length == 2) {
            return switch (p[1]) {
                case "initstate" -> m.state().initstate() + "\n";
                case "refcnt" -> m.refcount() + "\n";
                case "coresize" -> m.coreSize() + "\n";
                case "initsize" -> "0\n";
                case "taint" -> m.taintString().replace("(", "").replace(")", "") + "\n";
                case "version" -> m.info().version().isEmpty() ? null : m.info().version() + "\n";
                default -> null;
            };
        }
        if (p.length == 3 && p[1].equals("parameters")) {
            ParamSpec spec = m.params().find(p[2]);
            if (spec == null || !spec.visible() || !spec.name().equals(p[2])) {
                return null;
            }
            return m.params().get(spec) + "\n";
        }
        return null;
    }

    /** Writes a parameter: 0 or -errno (-ENOENT no such file, -EACCES read-only, -EINVAL bad value). */
    int write(String path, String value) {
        String[] p = parts(path);
        if (p == null || p.length != 3 || !p[1].equals("parameters")) {
            return read(path) != null ? Errno.EACCES.neg() : Errno.ENOENT.neg();
        }
        if (p[0].equals(CoreParams.SYSFS_NAME)) {
            ParamSpec core = coreParam(p);
            return core == null ? Errno.ENOENT.neg()
                    : coreParams.values().set(core, value.endsWith("\n")
                            ? value.substring(0, value.length() - 1) : value);
        }
        if (p[0].equals(ModuleSigning.SYSFS_NAME)) {
            // bool_enable_only: -EROFS for clearing it once set
            return sigParam(p) == null ? Errno.ENOENT.neg()
                    : signing.setEnforce(value.endsWith("\n") ? value.substring(0, value.length() - 1) : value);
        }
        KModule m = module(p[0]);
        ParamSpec spec = m == null ? null : m.params().find(p[2]);
        if (spec == null || !spec.visible() || !spec.name().equals(p[2])) {
            return Errno.ENOENT.neg();
        }
        if (!spec.writable()) {
            return Errno.EACCES.neg();
        }
        String v = value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
        // param_attr_store returns the setter's error as it is
        return m.params().set(spec, v);
    }

    /** A directory listing, or null when it is not a directory here. */
    List<String> list(String path) {
        if (path.equals("/sys")) {
            return List.of("kernel", "module");
        }
        if (path.equals("/sys/module")) {
            List<String> out = new ArrayList<>();
            out.add(CoreParams.SYSFS_NAME);
            out.add(ModuleSigning.SYSFS_NAME);
            for (KModule m : loader.modules()) {
                if (m.sysfsVisible()) {
                    out.add(m.name());
                }
            }
            for (KModule m : loader.builtins()) {
                if (m.sysfsVisible()) {
                    out.add(m.name());
                }
            }
            out.sort(null);
            return out;
        }
        String[] p = parts(path);
        if (p == null) {
            return null;
        }
        if (p[0].equals(CoreParams.SYSFS_NAME)) {
            return p.length == 1 ? List.of("parameters")
                    : p.length == 2 && p[1].equals("parameters") ? List.of(CoreParams.INITCALL_DEBUG) : null;
        }
        if (p[0].equals(ModuleSigning.SYSFS_NAME)) {
            return p.length == 1 ? List.of("parameters")
                    : p.length == 2 && p[1].equals("parameters") ? List.of(ModuleSigning.SIG_ENFORCE) : null;
        }
        KModule m = module(p[0]);
        if (m == null) {
            return null;
        }
        if (p.length == 1 && builtin(m)) {
            List<String> out = new ArrayList<>();
            if (m.params().specs().stream().anyMatch(ParamSpec::visible)) {
                out.add("parameters");
            }
            if (!m.info().version().isEmpty()) {
                out.add("version");
            }
            return out;
        }
        if (p.length == 1) {
            List<String> out = new ArrayList<>(List.of("coresize", "holders", "initsize", "initstate",
                    "parameters", "refcnt", "taint"));
            if (!m.info().version().isEmpty()) {
                out.add("version");
            }
            out.sort(null);
            return out;
        }
        if (p.length == 2 && p[1].equals("holders") && !builtin(m)) {
            List<String> out = loader.locked(() -> new ArrayList<>(m.holderNames()));
            out.sort(null);
            return out;
        }
        if (p.length == 2 && p[1].equals("parameters")) {
            List<String> out = new ArrayList<>();
            for (ParamSpec s : m.params().specs()) {
                if (s.visible()) {
                    out.add(s.name());
                }
            }
            out.sort(null);
            return out;
        }
        return null;
    }

    /** The core_param a {@code /sys/module/kernel/parameters/NAME} path names, or null. */
    private ParamSpec coreParam(String[] p) {
        if (p.length != 3 || !p[1].equals("parameters")) {
            return null;
        }
        ParamSpec spec = coreParams.values().find(p[2]);
        return spec != null && spec.name().equals(p[2]) ? spec : null;
    }

    /** The parameter a {@code /sys/module/module/parameters/NAME} path names (sig_enforce), or null. */
    private ParamSpec sigParam(String[] p) {
        if (p.length != 3 || !p[1].equals("parameters")) {
            return null;
        }
        ParamSpec spec = signing.params().find(p[2]);
        return spec != null && spec.name().equals(p[2]) ? spec : null;
    }

    boolean isDirectory(String path) {
        return list(path) != null;
    }
}
