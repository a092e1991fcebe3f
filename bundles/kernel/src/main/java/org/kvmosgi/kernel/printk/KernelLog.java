package org.kvmosgi.kernel.printk;

import org.kvmosgi.kernel.api.Printk;
import org.osgi.framework.BundleContext;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * printk. Every message goes out through SLF4J on the logger {@code kernel}; the
 * logging backend hands it to the OSGi LogReaderService, where this class listens and
 * appends it to the ring buffer that dmesg reads. Where SLF4J has no level of its own
 * for a printk level (emerg, alert, crit, notice), the message goes to the logger
 * {@code kernel.<level>} and the level is read back from that name.
 *
 * <p>When no log reader is there, or the backend is configured to drop the level,
 * the message goes straight into the ring buffer: dmesg never loses a line.
 */
public final class KernelLog implements LogListener {
    public static final String LOGGER = "kernel";
    /** printk level names, KERN_EMERG (0) to KERN_DEBUG (7). */
    private static final String[] LEVEL_NAMES = {"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"};

    private final LogBuffer buffer;
    private final Logger slf4j = LoggerFactory.getLogger(LOGGER);
    private final Logger[] byLevel = new Logger[LEVEL_NAMES.length];
    private final ServiceTracker<LogReaderService, LogReaderService> readers;
    private volatile boolean listening;

    /** With a null {@code context} (no framework) every message goes straight into the buffer. */
    public KernelLog(BundleContext context, LogBuffer buffer) {
        this.buffer = buffer;
        for (int l = 0; l < LEVEL_NAMES.length; l++) {
            byLevel[l] = needsOwnLogger(l) ? LoggerFactory.getLogger(LOGGER + "." + LEVEL_NAMES[l]) : slf4j;
        }
        this.readers = context == null ? null : new ServiceTracker<>(context, LogReaderService.class, null) {
            @Override
            public LogReaderService addingService(org.osgi.framework.ServiceReference<LogReaderService> ref) {
                LogReaderService reader = super.addingService(ref);
                if (reader != null) {
                    reader.addLogListener(KernelLog.this);
                    listening = true;
                }
                return reader;
            }

            @Override
            public void removedService(org.osgi.framework.ServiceReference<LogReaderService> ref,
                    LogReaderService reader) {
                reader.removeLogListener(KernelLog.this);
                super.removedService(ref, reader);
                // the tracker has already dropped this reader: size() counts the others
                listening = size() > 0;
            }
        };
    }

    public void open() {
        if (readers != null) {
            readers.open();
        }
    }

    public void close() {
        if (readers != null) {
            readers.close();
        }
        listening = false;
    }

    public LogBuffer buffer() {
        return buffer;
    }

    /** A printk with the given pr_fmt prefix. */
    public Printk printk(String prefix) {
        return (level, fmt, args) -> log(level, prefix + (args.length == 0 ? fmt : String.format(fmt, args)));
    }

    /** Logs one message at a KERN_* level. */
    public void log(int level, String text) {
        int l = Math.max(Printk.KERN_EMERG, Math.min(Printk.KERN_DEBUG, level));
        Logger logger = byLevel[l];
        if (listening && enabled(logger, l)) {
            switch (l) {
                case Printk.KERN_ERR, Printk.KERN_CRIT, Printk.KERN_ALERT, Printk.KERN_EMERG -> logger.error(text);
                case Printk.KERN_WARNING -> logger.warn(text);
                case Printk.KERN_DEBUG -> logger.debug(text);
                default -> logger.info(text);
            }
        } else {
            buffer.append(l, text, System.nanoTime());
        }
    }

    private static boolean enabled(Logger logger, int level) {
        return switch (level) {
            case Printk.KERN_ERR, Printk.KERN_CRIT, Printk.KERN_ALERT, Printk.KERN_EMERG -> logger.isErrorEnabled();
            case Printk.KERN_WARNING -> logger.isWarnEnabled();
            case Printk.KERN_DEBUG -> logger.isDebugEnabled();
            default -> logger.isInfoEnabled();
        };
    }

    private static boolean needsOwnLogger(int level) {
        return level != Printk.KERN_ERR && level != Printk.KERN_WARNING && level != Printk.KERN_INFO
                && level != Printk.KERN_DEBUG;
    }

    @Override
    public void logged(LogEntry entry) {
        String name = entry.getLoggerName();
        if (name == null || !(name.equals(LOGGER) || name.startsWith(LOGGER + "."))) {
            return;
        }
        int level = fromLogLevel(entry.getLogLevel());
        if (name.length() > LOGGER.length()) {
            String suffix = name.substring(LOGGER.length() + 1);
            for (int l = 0; l < LEVEL_NAMES.length; l++) {
                if (LEVEL_NAMES[l].equals(suffix)) {
                    level = l;
                }
            }
        }
        buffer.append(level, entry.getMessage(), System.nanoTime());
    }

    private static int fromLogLevel(LogLevel level) {
        return switch (level) {
            case AUDIT, ERROR -> Printk.KERN_ERR;
            case WARN -> Printk.KERN_WARNING;
            case INFO -> Printk.KERN_INFO;
            default -> Printk.KERN_DEBUG;
        };
    }
}
