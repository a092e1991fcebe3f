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
 * appends it to the ring buffer that dmesg reads. The printk level travels as the
 * kernel's own KERN_* prefix (SOH + digit) where SLF4J has no level of its own for it
 * (notice, crit, alert, emerg).
 *
 * <p>When no log reader is there, or the backend is configured to drop the level,
 * the message goes straight into the ring buffer: dmesg never loses a line.
 */
public final class KernelLog implements LogListener {
    public static final String LOGGER = "kernel";
    private static final char SOH = '\001';

    private final LogBuffer buffer;
    private final Logger slf4j = LoggerFactory.getLogger(LOGGER);
    private final ServiceTracker<LogReaderService, LogReaderService> readers;
    private volatile boolean listening;

    public KernelLog(BundleContext context, LogBuffer buffer) {
        this.buffer = buffer;
        this.readers = new ServiceTracker<>(context, LogReaderService.class, null) {
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
        readers.open();
    }

    public void close() {
        readers.close();
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
        if (listening && enabled(level)) {
            String wire = needsPrefix(level) ? SOH + Integer.toString(level) + text : text;
            switch (level) {
                case Printk.KERN_ERR, Printk.KERN_CRIT, Printk.KERN_ALERT, Printk.KERN_EMERG -> slf4j.error(wire);
                case Printk.KERN_WARNING -> slf4j.warn(wire);
                case Printk.KERN_DEBUG -> slf4j.debug(wire);
                default -> slf4j.info(wire);
            }
        } else {
            buffer.append(level, text, System.nanoTime());
        }
    }

    private boolean enabled(int level) {
        return switch (level) {
            case Printk.KERN_ERR, Printk.KERN_CRIT, Printk.KERN_ALERT, Printk.KERN_EMERG -> slf4j.isErrorEnabled();
            case Printk.KERN_WARNING -> slf4j.isWarnEnabled();
            case Printk.KERN_DEBUG -> slf4j.isDebugEnabled();
            default -> slf4j.isInfoEnabled();
        };
    }

    private static boolean needsPrefix(int level) {
        return level != Printk.KERN_ERR && level != Printk.KERN_WARNING && level != Printk.KERN_INFO
                && level != Printk.KERN_DEBUG;
    }

    @Override
    public void logged(LogEntry entry) {
        String name = entry.getLoggerName();
        if (name == null || !(name.equals(LOGGER) || name.startsWith(LOGGER + "."))) {
            return;
        }
        String msg = entry.getMessage();
        int level;
        if (msg.length() >= 2 && msg.charAt(0) == SOH && Character.isDigit(msg.charAt(1))) {
            level = msg.charAt(1) - '0';
            msg = msg.substring(2);
        } else {
            level = fromLogLevel(entry.getLogLevel());
        }
        buffer.append(level, msg, System.nanoTime());
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
