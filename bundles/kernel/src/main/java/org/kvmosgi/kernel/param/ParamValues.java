package org.kvmosgi.kernel.param;

import java.math.BigInteger;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ModuleParams;
import org.kvmosgi.kernel.api.modinfo.ParamType;

/**
 * A module's parameter values: the kernel's param_set_* and param_get_* for the
 * standard types (kernel/params.c). Values are held in their parsed form; reads from
 * the module see the current value.
 */
public final class ParamValues implements ModuleParams {
    /** The longest charp value param_set_charp accepts. */
    static final int CHARP_MAX = 1024;

    private final Map<String, ParamSpec> specs;
    /**
     * The specs by their name with '-' as '_' (the first declared of two that read alike):
     * a module reads its parameters by name at every load, so a lookup is one probe, not a
     * scan that rewrites every declared name.
     */
    private final Map<String, ParamSpec> byKey;
    /** The values; the defaults' own map until the first set copies it (most loads set none or few). */
    private Map<String, Object> values;
    private boolean ownValues;

    /**
     * A module's declared parameters with their defaults parsed, once per .modinfo: each
     * load starts its values from these instead of parsing every default again. Made
     * whatever the defaults are; a default that does not parse is reported by the load
     * that uses them ({@link ParamValues#ParamValues(Defaults)}), in the load's order of checks.
     */
    public static final class Defaults {
        private final Map<String, ParamSpec> specs = new LinkedHashMap<>();
        private final Map<String, ParamSpec> byKey = new HashMap<>();
        private final Map<String, Object> values = new LinkedHashMap<>();
        /** The format error of the first default that does not parse, or null. */
        private final String error;

        public Defaults(Collection<ParamSpec> declared) {
            String err = null;
            for (ParamSpec spec : declared) {
                specs.put(spec.name(), spec);
                byKey.merge(spec.name().replace('-', '_'), spec,
                        (was, now) -> was.name().equals(now.name()) ? now : was);
                Object v = parse(spec.type(), spec.defaultValue());
                if (v instanceof Errno) {
                    err = "default '" + spec.defaultValue() + "' of parameter " + spec.name() + " is not a valid "
                            + spec.type().cName();
                    break;
                }
                values.put(spec.name(), v);
            }
            this.error = err;
        }
    }

    /** Sets up every parameter at its default; a default that does not parse is a format error. */
    public ParamValues(Collection<ParamSpec> declared) {
        this(new Defaults(declared));
    }

    /**
     * A load's values, each at its default (the declarations are shared: they never change).
     *
     * @throws IllegalArgumentException a default does not parse (a format error)
     */
    public ParamValues(Defaults defaults) {
        if (defaults.error != null) {
            throw new IllegalArgumentException(defaults.error);
        }
        this.specs = defaults.specs;
        this.byKey = defaults.byKey;
        this.values = defaults.values;
    }

    public Collection<ParamSpec> specs() {
        return java.util.Collections.unmodifiableCollection(specs.values());
    }

    /** The spec whose name matches, '-' and '_' being equal as in parameq(). */
    public ParamSpec find(String name) {
        return byKey.get(name.replace('-', '_'));
    }

    /** Sets a value: 0, or -EINVAL/-ERANGE (invalid) or -ENOSPC (too large). */
    public synchronized int set(ParamSpec spec, String value) {
        if (!spec.values().isEmpty() && (value == null || !spec.values().contains(sysfsStreq(value)))) {
            // the module's own set op found the value in none of its table's entries
            return Errno.EINVAL.neg();
        }
        Object v = parse(spec.type(), spec.values().isEmpty() ? value : sysfsStreq(value));
        if (v instanceof Errno e) {
            return e.neg();
        }
        if (!ownValues) {
            values = new LinkedHashMap<>(values);
            ownValues = true;
        }
        values.put(spec.name(), v);
        return 0;
    }

    /** The value as sysfs_streq compares it: one trailing newline (echo's) does not count. */
    static String sysfsStreq(String value) {
        return value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
    }

    /** param_get_*: the text sysfs shows, without the newline. */
    public synchronized String get(ParamSpec spec) {
        Object v = values.get(spec.name());
        return switch (spec.type()) {
            case BOOL -> ((Boolean) v) ? "Y" : "N";
            case INVBOOL -> ((Boolean) v) ? "N" : "Y";
            case HEXINT -> hexint((Long) v);
            case CHARP -> v == null ? "(null)" : (String) v;
            default -> String.valueOf(v);
        };
    }

    @Override
    public synchronized boolean bool(String name) {
        // an invbool holds the inverse of what was written: the module sees that variable
        return (Boolean) values.get(require(name).name());
    }

    @Override
    public synchronized long integer(String name) {
        return ((Number) values.get(require(name).name())).longValue();
    }

    @Override
    public synchronized String string(String name) {
        ParamSpec spec = require(name);
        return spec.type() == ParamType.CHARP ? (String) values.get(spec.name()) : get(spec);
    }

    @Override
    public int update(String name, String value) {
        return set(require(name), value);
    }

    private ParamSpec require(String name) {
        ParamSpec spec = find(name);
        if (spec == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return spec;
    }

    /**
     * Parses a value as param_set_TYPE would: the parsed value, or an {@link Errno}.
     * A bare {@code name} (no '=') arrives as null: true for bools, invalid otherwise.
     */
    static Object parse(ParamType type, String s) {
        switch (type) {
            case BOOL:
            case INVBOOL: {
                if (s == null) {
                    return type == ParamType.BOOL;
                }
                Boolean b = kstrtobool(s);
                if (b == null) {
                    return Errno.EINVAL;
                }
                return type == ParamType.BOOL ? b : !b;
            }
            case CHARP:
                if (s == null) {
                    return Errno.EINVAL;
                }
                return s.length() > CHARP_MAX ? Errno.ENOSPC : s;
            case HEXINT:
                // param_set_hexint is param_set_uint_minmax: kstrtouint with base 0
                return integer(s, 0, BigInteger.ZERO, BigInteger.valueOf(0xffffffffL));
            case BYTE:
                return integer(s, 0, BigInteger.ZERO, BigInteger.valueOf(255));
            case SHORT:
                return integer(s, 0, BigInteger.valueOf(Short.MIN_VALUE), BigInteger.valueOf(Short.MAX_VALUE));
            case USHORT:
                return integer(s, 0, BigInteger.ZERO, BigInteger.valueOf(65535));
            case INT:
                return integer(s, 0, BigInteger.valueOf(Integer.MIN_VALUE), BigInteger.valueOf(Integer.MAX_VALUE));
            case UINT:
                return integer(s, 0, BigInteger.ZERO, BigInteger.valueOf(0xffffffffL));
            case LONG:
                return integer(s, 0, BigInteger.valueOf(Long.MIN_VALUE), BigInteger.valueOf(Long.MAX_VALUE));
            case ULONG:
            case ULLONG:
                // held as a long: values above Long.MAX_VALUE are refused rather than wrapped
                return integer(s, 0, BigInteger.ZERO, BigInteger.valueOf(Long.MAX_VALUE));
            default:
                return Errno.EINVAL;
        }
    }

    /**
     * param_get_hexint's {@code "%#08x"}: the "0x" counts in the width of 8, and C's '#'
     * adds no prefix to zero.
     */
    static String hexint(long v) {
        return v == 0 ? "00000000" : String.format("0x%06x", v);
    }

    /** kstrtobool: y/Y/1/on and n/N/0/off; only the first characters count. */
    static Boolean kstrtobool(String s) {
        if (s.isEmpty()) {
            return null;
        }
        switch (s.charAt(0)) {
            case 'y': case 'Y': case '1': return true;
            case 'n': case 'N': case '0': return false;
            case 'o': case 'O':
                if (s.length() > 1) {
                    char c = s.charAt(1);
                    if (c == 'n' || c == 'N') {
                        return true;
                    }
                    if (c == 'f' || c == 'F') {
                        return false;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    /**
     * kstrto*: base 0 takes 0x for hex and a leading 0 for octal; one trailing newline
     * is allowed; out of range is -ERANGE, which the parameter code reports as invalid.
     */
    private static Object integer(String s, int base, BigInteger min, BigInteger max) {
        if (s == null) {
            return Errno.EINVAL;
        }
        String t = s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
        boolean negative = t.startsWith("-");
        if (negative || t.startsWith("+")) {
            if (min.signum() == 0 && negative) {
                return Errno.EINVAL;
            }
            t = t.substring(1);
        }
        int radix = base;
        if (base == 0 || base == 16) {
            if (t.startsWith("0x") || t.startsWith("0X")) {
                t = t.substring(2);
                radix = 16;
            } else if (base == 0 && t.length() > 1 && t.startsWith("0")) {
                t = t.substring(1);
                radix = 8;
            } else if (base == 0) {
                radix = 10;
            }
        }
        if (t.isEmpty()) {
            return Errno.EINVAL;
        }
        BigInteger v;
        try {
            v = new BigInteger(t, radix);
        } catch (NumberFormatException e) {
            return Errno.EINVAL;
        }
        if (negative) {
            v = v.negate();
        }
        if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
            return Errno.ERANGE;
        }
        return v.longValue();
    }
}
