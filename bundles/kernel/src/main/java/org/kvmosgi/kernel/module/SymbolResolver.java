package org.kvmosgi.kernel.module;

import static org.kvmosgi.kernel.api.Errno.EBUSY;
import static org.kvmosgi.kernel.api.Errno.EINVAL;
import static org.kvmosgi.kernel.api.Errno.ENOENT;
import static org.kvmosgi.kernel.api.Errno.ENOEXEC;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.Printk;
import org.kvmosgi.kernel.api.modinfo.ModuleInfo.Export;
import org.kvmosgi.kernel.symbol.SymbolTable;

/**
 * A module's symbols at load: its imports resolved against the symbol table
 * (simplify_symbols, resolve_symbol_wait, resolve_symbol), and its exports checked for
 * duplicates and registered (verify_exported_symbols in complete_formation), then
 * unregistered when it goes.
 */
public final class SymbolResolver {
    /** The objects behind a module's declared exports, by symbol name. */
    record Exported(Class<?> type, Object value) {}

    /**
     * resolve_symbol's answer: the symbol's value, or null with the errno (0: not found)
     * and, when known, the owner that was not ready.
     */
    private record Resolution(Object value, int err, String owner) {
        static Resolution failed(int err, String owner) {
            return new Resolution(null, err, owner);
        }
    }

    private final ModuleList list;
    private final References refs;
    private final SymbolTable symbols;
    private final Printk printk;
    private final long waitMillis;

    public SymbolResolver(ModuleList list, References refs, SymbolTable symbols, Printk printk, long waitMillis) {
        this.list = list;
        this.refs = refs;
        this.symbols = symbols;
        this.printk = printk;
        this.waitMillis = waitMillis;
    }

    /** simplify_symbols with resolve_symbol_wait for each import: 0 or -errno. */
    int resolveImports(KModule mod) {
        for (String sym : mod.info.imports()) {
            Resolution r = resolveWaiting(mod, sym);
            if (r.value() == null) {
                int ret = r.err() != 0 ? r.err() : ENOENT.neg();
                printk.warn("%s: Unknown symbol %s (err %d)", mod.name, sym, ret);
                return ret;
            }
            mod.imports.put(sym, r.value());
        }
        return 0;
    }

    /** resolve_symbol_wait: an owner still COMING is waited for, up to the symbol wait. */
    private Resolution resolveWaiting(KModule mod, String sym) {
        list.lock();
        try {
            long left = TimeUnit.MILLISECONDS.toNanos(waitMillis);
            while (true) {
                Resolution r = resolve(mod, sym);
                if (r.value() != null || r.err() != EBUSY.neg()) {
                    return r;
                }
                if (left <= 0) {
                    printk.warn("%s: gave up waiting for init of module %s.", mod.name, r.owner());
                    return r;
                }
                try {
                    left = list.await(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Resolution.failed(Errno.EINTR.neg(), r.owner());
                }
            }
        } finally {
            list.unlock();
        }
    }

    /**
     * resolve_symbol: find it (GPL-only ones only for GPL-compatible modules), check the
     * namespace, take a reference on the owner (ref_module). Mutex held.
     */
    private Resolution resolve(KModule mod, String sym) {
        SymbolTable.Found f = symbols.find(sym);
        if (f == null || (f.gplOnly() && !mod.info.gplCompatible())) {
            return Resolution.failed(0, null);
        }
        int nsErr = verifyNamespace(printk, mod.name, mod.info.importNamespaces(), sym, f.namespace());
        if (nsErr < 0) {
            return Resolution.failed(nsErr, f.owner());
        }
        if (!Loader.VMLINUX.equals(f.owner())) {
            // the image's symbols need no reference: it never goes away
            KModule owner = list.get(f.owner());
            if (owner == null) {
                return Resolution.failed(0, f.owner());
            }
            int r = refs.refModule(mod, owner);
            if (r < 0) {
                return Resolution.failed(r, f.owner());
            }
        }
        Object value = symbols.value(f);
        return new Resolution(value, 0, f.owner());
    }

    /**
     * verify_namespace_is_imported for {@code module} (which imports the namespaces
     * {@code imported}) linking {@code sym} from namespace {@code ns}: 0, or -EINVAL and the
     * kernel's line. Also the test kit's answer for a module it loads from classes.
     */
    static int verifyNamespace(Printk printk, String module, List<String> imported, String sym, String ns) {
        if (ns == null || ns.isEmpty() || namespaceImported(module, imported, ns)) {
            return 0;
        }
        printk.err("%s: module uses symbol (%s) from namespace %s, but does not import it.", module, sym, ns);
        return EINVAL.neg();
    }

    /** Whether the namespace is imported, with EXPORT_SYMBOL_FOR_MODULES' "module:" namespaces. */
    private static boolean namespaceImported(String module, List<String> imported, String ns) {
        if (ns.startsWith(MODULE_NS_PREFIX)) {
            // the comma-separated names, '-' read as '_', compared in place: this runs for every import
            int from = MODULE_NS_PREFIX.length();
            while (from <= ns.length()) {
                int comma = ns.indexOf(',', from);
                int end = comma < 0 ? ns.length() : comma;
                if (sameName(ns, from, end, module)) {
                    return true;
                }
                from = end + 1;
            }
            return false;
        }
        return imported.contains(ns);
    }

    private static final String MODULE_NS_PREFIX = "module:";

    /** Whether {@code s[from, end)} with '-' as '_' is {@code module}. */
    private static boolean sameName(String s, int from, int end, String module) {
        if (end - from != module.length()) {
            return false;
        }
        for (int i = from; i < end; i++) {
            char c = s.charAt(i);
            if ((c == '-' ? '_' : c) != module.charAt(i - from)) {
                return false;
            }
        }
        return true;
    }

    /**
     * complete_formation: verify_exported_symbols, then the exports appear and the module
     * turns COMING, as one step under module_mutex (see docs/ARCHITECTURE.md on why the
     * registration cannot leave the mutex).
     */
    int completeFormation(KModule mod, Map<String, Exported> exported) {
        list.lock();
        try {
            if (duplicateExport(mod) < 0) {
                return ENOEXEC.neg();
            }
            List<Export> exports = mod.info.exports();
            for (int i = 0; i < exports.size(); i++) {
                Export d = exports.get(i);
                Exported e = exported.get(d.symbol());
                mod.exports.add(mod.image.export(symbols, mod.name, d.symbol(), d.gplOnly(),
                        mod.info.exportNamespaces().get(i), e.type(), e.value()));
            }
            mod.state = ModuleState.COMING;
            list.wakeUp();
            return 0;
        } finally {
            list.unlock();
        }
    }

    /**
     * A built-in module's initcall: its exports become the image's (owner {@value Loader#VMLINUX})
     * and it joins the image's list, LIVE, as one step under module_mutex. A symbol exported
     * already refuses the module: modpost refuses such an image, and one assembled anyway
     * keeps the first definition.
     */
    int registerBuiltin(KModule mod, Map<String, Exported> exported) {
        list.lock();
        try {
            if (duplicateExport(mod) < 0) {
                return ENOEXEC.neg();
            }
            List<Export> exports = mod.info.exports();
            for (int i = 0; i < exports.size(); i++) {
                Export d = exports.get(i);
                Exported e = exported.get(d.symbol());
                mod.exports.add(mod.image.export(symbols, Loader.VMLINUX, d.symbol(), d.gplOnly(),
                        mod.info.exportNamespaces().get(i), e.type(), e.value()));
            }
            mod.state = ModuleState.LIVE;
            list.addBuiltin(mod);
            list.wakeUp();
            return 0;
        } finally {
            list.unlock();
        }
    }

    /**
     * verify_exported_symbols: -ENOEXEC, with the kernel's message, when a symbol the module
     * exports is exported already; module_name(NULL) is "kernel" for the image's own. Mutex held.
     */
    private int duplicateExport(KModule mod) {
        for (Export d : mod.info.exports()) {
            SymbolTable.Found f = symbols.find(d.symbol());
            if (f != null) {
                printk.err("%s: exports duplicate symbol %s (owned by %s)", mod.name, d.symbol(),
                        Loader.VMLINUX.equals(f.owner()) ? "kernel" : f.owner());
                return ENOEXEC.neg();
            }
        }
        return 0;
    }

    /**
     * The exports go, outside module_mutex: unregistering runs the registry's listeners
     * (the symbol index, SCR, Gogo) synchronously, and none of them needs the mutex held.
     * The module is GOING or failed here, so no importer can take its symbols meanwhile.
     */
    void unregisterExports(KModule mod) {
        List<SymbolTable.Registration> regs = list.locked(() -> {
            List<SymbolTable.Registration> l = new ArrayList<>(mod.exports);
            mod.exports.clear();
            return l;
        });
        for (SymbolTable.Registration reg : regs) {
            try {
                reg.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework's own cleanup of a failed start got there first
            }
        }
        list.change(() -> {});
    }
}
