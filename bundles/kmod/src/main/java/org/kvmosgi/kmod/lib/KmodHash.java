package org.kvmosgi.kmod.lib;

import java.nio.charset.StandardCharsets;

/**
 * kmod's hash table order (shared/hash.c): Paul Hsieh's SuperFastHash of the key picks a
 * bucket among a power of two; a bucket keeps its keys sorted. Walking the table visits
 * buckets in index order, so this is the order in which depmod first lists its modules
 * (depmod_modules_build_array over modules_by_name, 512 buckets), which decides the order
 * of everything modules.order does not.
 */
public final class KmodHash {
    private KmodHash() {}

    /** hash_superfast() over the key's bytes, as unsigned 32-bit arithmetic. */
    public static int superfast(String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int len = k.length;
        int hash = len;
        int rem = len & 3;
        int i = 0;
        for (int n = len / 4; n > 0; n--) {
            hash += u16(k, i);
            int tmp = (u16(k, i + 2) << 11) ^ hash;
            hash = (hash << 16) ^ tmp;
            i += 4;
            hash += hash >>> 11;
        }
        switch (rem) {
            case 3 -> {
                hash += u16(k, i);
                hash ^= hash << 16;
                hash ^= (k[i + 2] & 0xff) << 18;
                hash += hash >>> 11;
            }
            case 2 -> {
                hash += u16(k, i);
                hash ^= hash << 11;
                hash += hash >>> 17;
            }
            case 1 -> {
                hash += k[i]; // a plain char: signed on x86, as kmod's build is
                hash ^= hash << 10;
                hash += hash >>> 1;
            }
            default -> {
                // no tail
            }
        }
        hash ^= hash << 3;
        hash += hash >>> 5;
        hash ^= hash << 4;
        hash += hash >>> 17;
        hash ^= hash << 25;
        hash += hash >>> 6;
        return hash;
    }

    /** The bucket of a key in a table of {@code buckets} (a power of two). */
    public static int bucket(String key, int buckets) {
        return superfast(key) & (buckets - 1);
    }

    /** get_unaligned((uint16_t *) key) on a little-endian machine. */
    private static int u16(byte[] k, int i) {
        return (k[i] & 0xff) | ((k[i + 1] & 0xff) << 8);
    }
}
