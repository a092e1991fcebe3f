package org.kvmosgi.kernel.api;

/**
 * printk with the kernel's log levels. Format strings use {@link String#format}
 * conversions ({@code %d}, {@code %s}). Messages go through SLF4J into the log ring
 * buffer that dmesg reads.
 */
public interface Printk {
    int KERN_EMERG = 0;
    int KERN_ALERT = 1;
    int KERN_CRIT = 2;
    int KERN_ERR = 3;
    int KERN_WARNING = 4;
    int KERN_NOTICE = 5;
    int KERN_INFO = 6;
    int KERN_DEBUG = 7;

    /** Logs at a KERN_* level; the text is the message without pr_fmt applied. */
    void printk(int level, String fmt, Object... args);

    default void err(String fmt, Object... args) {
        printk(KERN_ERR, fmt, args);
    }

    default void warn(String fmt, Object... args) {
        printk(KERN_WARNING, fmt, args);
    }

    default void notice(String fmt, Object... args) {
        printk(KERN_NOTICE, fmt, args);
    }

    default void info(String fmt, Object... args) {
        printk(KERN_INFO, fmt, args);
    }

    default void debug(String fmt, Object... args) {
        printk(KERN_DEBUG, fmt, args);
    }
}
