package org.kvmosgi.kernel.inject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.Printk;

/**
 * fail_function (kernel/fail_function.c with lib/fault-inject.c's fault_attr): named
 * injection points, armed through {@code /sys/kernel/debug/fail_function}. An armed
 * point that fires returns its retval instead of running its body.
 *
 * <p>Points are {@code MODULE:STEP} for a module's steps and {@code loader:STEP} for
 * the loader's own. The attributes behave as fault_attr's: {@code probability} in
 * percent (0 by default: nothing fires until it is set), {@code interval},
 * {@code times} (-1: no limit), {@code verbose}. The model adds {@code seed}: the
 * random draws come from a generator with that seed, so a run can be repeated.
 */
public final class FailFunction {
    public static final long DEFAULT_SEED = 42;
    /** MAX_ERRNO: the most negative errno a retval may be. */
    static final int MAX_ERRNO = 4095;

    private final Printk printk;
    private final Map<String, Integer> armed = new LinkedHashMap<>();
    /**
     * Whether any point is armed, read without the lock: every load and module step asks,
     * and almost always nothing is armed. Written under the lock with {@link #armed}.
     */
    private volatile boolean anyArmed;
    private int probability;
    private long interval = 1;
    private long count;
    private int times = 1;
    private int verbose = 2;
    private long seed;
    private Random random;

    public FailFunction(Printk printk, long seed) {
        this.printk = printk;
        setSeed(seed);
    }

    /**
     * should_fail for one point: 0 to run the body, or the negative errno to return
     * instead. Cheap when nothing is armed: no lock is taken.
     */
    public int check(String point) {
        if (!anyArmed) {
            return 0;
        }
        synchronized (this) {
            if (armed.isEmpty()) {
                return 0;
            }
            Integer retval = armed.get(point);
            if (retval == null || probability == 0 || times == 0) {
                return 0;
            }
            if (interval > 1 && ++count % interval != 0) {
                return 0;
            }
            if (probability <= random.nextInt(100)) {
                return 0;
            }
            if (verbose > 0) {
                printk.notice("FAULT_INJECTION: forcing a failure.\nname fail_function, interval %d, probability %d, "
                        + "space 0, times %d", interval, probability, times);
                if (verbose > 1) {
                    printk.notice("Call Trace:\n %s", point);
                }
            }
            if (times > 0) {
                times--;
            }
            return retval;
        }
    }

    /** Whether any point is armed (a caller may skip naming its point when none is). */
    public boolean anyArmed() {
        return anyArmed;
    }

    /** Writes to {@code inject}: a name arms it (retval -EINVAL), "!name" disarms, "" clears all. */
    public synchronized int inject(String value) {
        try {
            String v = value.trim();
            if (v.isEmpty()) {
                armed.clear();
                return 0;
            }
            if (v.startsWith("!")) {
                return armed.remove(v.substring(1)) != null ? 0 : Errno.ENOENT.neg();
            }
            if (!v.matches("[A-Za-z0-9_\\-]+:[A-Za-z0-9_\\-]+")) {
                return Errno.EINVAL.neg();
            }
            armed.putIfAbsent(v, Errno.EINVAL.neg());
            return 0;
        } finally {
            anyArmed = !armed.isEmpty();
        }
    }

    /** The armed points, one a line, as reading {@code inject} shows them. */
    public synchronized List<String> armedPoints() {
        return new ArrayList<>(armed.keySet());
    }

    public synchronized Integer retval(String point) {
        return armed.get(point);
    }

    /** Writes {@code <point>/retval}; accepts the unsigned form printf %#x gives a negative errno. */
    public synchronized int setRetval(String point, String value) {
        if (!armed.containsKey(point)) {
            return Errno.ENOENT.neg();
        }
        long v;
        try {
            String t = value.trim();
            v = t.startsWith("0x") || t.startsWith("0X") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
        } catch (NumberFormatException e) {
            return Errno.EINVAL.neg();
        }
        int r = (int) v;
        if (r >= 0 || r < -MAX_ERRNO) {
            return Errno.EINVAL.neg();
        }
        armed.put(point, r);
        return 0;
    }

    public synchronized int probability() {
        return probability;
    }

    public synchronized int setProbability(long p) {
        if (p < 0 || p > 100) {
            return Errno.EINVAL.neg();
        }
        probability = (int) p;
        return 0;
    }

    public synchronized long interval() {
        return interval;
    }

    public synchronized int setInterval(long i) {
        if (i < 1) {
            return Errno.EINVAL.neg();
        }
        interval = i;
        count = 0;
        return 0;
    }

    public synchronized int times() {
        return times;
    }

    public synchronized int setTimes(long t) {
        if (t < -1 || t > Integer.MAX_VALUE) {
            return Errno.EINVAL.neg();
        }
        times = (int) t;
        return 0;
    }

    public synchronized int verbose() {
        return verbose;
    }

    public synchronized int setVerbose(long v) {
        if (v < 0 || v > 2) {
            return Errno.EINVAL.neg();
        }
        verbose = (int) v;
        return 0;
    }

    public synchronized long seed() {
        return seed;
    }

    public synchronized int setSeed(long s) {
        seed = s;
        random = new Random(s);
        return 0;
    }
}
