package org.kvmosgi.explorer;

/**
 * {@code --shard I/N}: shard I (1-based, as CI matrices number their jobs) of N owns the
 * sequences whose first operation has an index, in the order {@link OpSource} lists the
 * operations applicable to a fresh kernel, equal to I-1 modulo N. Every longer sequence
 * extends one first operation, so the shards' sequence spaces are disjoint and together
 * are the whole; each shard memoises on its own, so a state two shards reach is counted
 * once when they are merged.
 */
public record Shard(int index, int count) {
    /** The unsharded run: one shard owning everything. */
    public static final Shard ALL = new Shard(1, 1);

    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException("--shard takes I/N with 1 <= I <= N, not '" + index + "/" + count + "'");
        }
    }

    public static Shard parse(String text) {
        int slash = text.indexOf('/');
        try {
            if (slash > 0) {
                return new Shard(Integer.parseInt(text.substring(0, slash)), Integer.parseInt(text.substring(slash + 1)));
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("--shard takes I/N (shard I of N, e.g. 1/2), not '" + text + "'");
    }

    /** Whether this shard runs the sequences that start with the fresh kernel's {@code firstOp}-th operation. */
    public boolean owns(int firstOp) {
        return firstOp % count == index - 1;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
