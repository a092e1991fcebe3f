package org.kvmosgi.kernel.fs;

import java.util.ArrayList;
import java.util.List;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.inject.FailFunction;
import org.kvmosgi.kernel.inject.Kmemleak;
import org.kvmosgi.kernel.module.Checkpoint;
import org.kvmosgi.kernel.module.Invariants;
import org.kvmosgi.kernel.module.KModule;
import org.kvmosgi.kernel.module.LoadHistory;
import org.kvmosgi.kernel.module.Loader;
import org.kvmosgi.kernel.symbol.SymbolTable;

/**
 * /sys/kernel/debug: fail_function's control files and kmemleak's report, with the
 * kernel's file names and formats (Documentation/fault-injection/fault-injection.rst).
 */
public final class DebugFs {
    static final String DEBUG = "/sys/kernel/debug";
    static final String FF = DEBUG + "/fail_function";
    static final String KMEMLEAK = DEBUG + "/kmemleak";
    static final String LOAD_HISTORY = DEBUG + "/load_history";
    static final String INVARIANTS = DEBUG + "/kvmosgi/invariants";
    static final String RESET = DEBUG + "/kvmosgi/reset";
    static final String CHECKPOINT = DEBUG + "/kvmosgi/checkpoint";
    static final String OPS_OWNERS = DEBUG + "/kvmosgi/ops_owners";

    private final Loader loader;
    private final FailFunction failFunction;
    private final Kmemleak kmemleak;
    private final LoadHistory loadHistory;
    private final Invariants invariants;
    /** The exported symbols, for the ops tables' owners. */
    private final SymbolTable symbols;
    /** The model's reset, which reaches every subsystem. */
    private final Runnable reset;
    /** The explorer's undo of a step: what unloading and loading again do not take back. */
    private final Checkpoint checkpoint;

    public DebugFs(Loader loader, FailFunction failFunction, Kmemleak kmemleak, LoadHistory loadHistory,
            Invariants invariants, SymbolTable symbols, Runnable reset, Checkpoint checkpoint) {
        this.loader = loader;
        this.failFunction = failFunction;
        this.kmemleak = kmemleak;
        this.loadHistory = loadHistory;
        this.invariants = invariants;
        this.symbols = symbols;
        this.reset = reset;
        this.checkpoint = checkpoint;
    }

    static boolean owns(String path) {
        return path.equals("/sys/kernel") || path.startsWith("/sys/kernel/");
    }

    /** Every injectable point now: the loader's and those of the loaded modules. */
    List<String> injectable() {
        List<String> out = new ArrayList<>();
        for (String s : Loader.INJECTION_POINTS) {
            out.add("loader:" + s);
        }
        for (KModule m : loader.modules()) {
            for (String s : m.info().steps()) {
                out.add(m.name() + ":" + s);
            }
        }
        return out;
    }

    String read(String path) {
        FailFunction ff = failFunction;
        switch (path) {
            case KMEMLEAK:
                return kmemleak.render();
            case LOAD_HISTORY:
                return loadHistory.render();
            case OPS_OWNERS: {
                // one line per exported ops table: the symbol and the module whose ops are installed, "-" for none
                StringBuilder sb = new StringBuilder();
                symbols.opsOwners().forEach((symbol, owner) -> sb.append(symbol).append(' ')
                        .append(owner.isEmpty() ? "-" : owner).append('\n'));
                return sb.toString();
            }
            case INVARIANTS: {
                StringBuilder sb = new StringBuilder();
                invariants.check().forEach(v -> sb.append(v).append('\n'));
                return sb.toString();
            }
            case FF + "/inject": {
                StringBuilder sb = new StringBuilder();
                ff.armedPoints().forEach(p -> sb.append(p).append('\n'));
                return sb.toString();
            }
            case FF + "/injectable": {
                StringBuilder sb = new StringBuilder();
                injectable().forEach(p -> sb.append(p).append("\tERRNO\n"));
                return sb.toString();
            }
            case FF + "/probability":
                return ff.probability() + "\n";
            case FF + "/interval":
                return ff.interval() + "\n";
            case FF + "/times":
                return ff.times() + "\n";
            case FF + "/verbose":
                return ff.verbose() + "\n";
            case FF + "/seed":
                return ff.seed() + "\n";
            default:
                break;
        }
        if (path.startsWith(FF + "/") && path.endsWith("/retval")) {
            String point = path.substring(FF.length() + 1, path.length() - "/retval".length());
            Integer r = ff.retval(point);
            // debugfs shows the retval as the unsigned long it stores
            return r == null ? null : String.format("%#x%n", (long) r);
        }
        return null;
    }

    int write(String path, String value) {
        FailFunction ff = failFunction;
        String v = value.trim();
        if (path.equals(KMEMLEAK)) {
            if (v.equals("clear")) {
                kmemleak.clear();
                return 0;
            }
            return v.equals("scan") ? 0 : Errno.EINVAL.neg();
        }
        if (path.equals(RESET)) {
            if (!v.equals("1")) {
                return Errno.EINVAL.neg();
            }
            reset.run();
            return 0;
        }
        if (path.equals(CHECKPOINT)) {
            // "save N" or "restore N": the explorer's undo of a step (see Checkpoint)
            String[] w = v.split(" ");
            int slot;
            try {
                slot = w.length == 2 ? Integer.parseInt(w[1]) : -1;
            } catch (NumberFormatException e) {
                slot = -1;
            }
            return switch (w[0]) {
                case "save" -> checkpoint.save(slot);
                case "restore" -> checkpoint.restore(slot);
                default -> Errno.EINVAL.neg();
            };
        }
        if (path.equals(FF + "/inject")) {
            return ff.inject(v);
        }
        if (path.startsWith(FF + "/") && path.endsWith("/retval")) {
            return ff.setRetval(path.substring(FF.length() + 1, path.length() - "/retval".length()), v);
        }
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            return read(path) == null ? Errno.ENOENT.neg() : Errno.EINVAL.neg();
        }
        return switch (path) {
            case FF + "/probability" -> ff.setProbability(n);
            case FF + "/interval" -> ff.setInterval(n);
            case FF + "/times" -> ff.setTimes(n);
            case FF + "/verbose" -> ff.setVerbose(n);
            case FF + "/seed" -> ff.setSeed(n);
            default -> Errno.ENOENT.neg();
        };
    }

    List<String> list(String path) {
        switch (path) {
            case "/sys/kernel":
                return List.of("debug");
            case DEBUG:
                return List.of("fail_function", "kmemleak", "kvmosgi", "load_history");
            case DEBUG + "/kvmosgi":
                return List.of("checkpoint", "invariants", "ops_owners", "reset");
            case FF: {
                List<String> out = new ArrayList<>(List.of("inject", "injectable", "interval", "probability",
                        "seed", "times", "verbose"));
                out.addAll(failFunction.armedPoints());
                out.sort(null);
                return out;
            }
            default:
                break;
        }
        if (path.startsWith(FF + "/") && failFunction.retval(path.substring(FF.length() + 1)) != null) {
            return List.of("retval");
        }
        return null;
    }
}
