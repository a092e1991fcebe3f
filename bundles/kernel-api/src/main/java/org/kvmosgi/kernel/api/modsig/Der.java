package org.kvmosgi.kernel.api.modsig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Just enough of ASN.1 DER to walk a PKCS#7 SignedData and an X.509 name: one
 * tag-length-value at a time, definite lengths only (DER has no other kind).
 */
final class Der {
    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;
    static final int SET = 0x31;
    /** [0] constructed, context-specific. */
    static final int CONTEXT_0 = 0xa0;

    /** A malformed encoding: the PKCS#7 parser's -EBADMSG. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /** One element: its tag, its contents, and the whole encoding (tag and length included). */
    record Tlv(int tag, byte[] value, byte[] encoded) {
        List<Tlv> children() throws Malformed {
            return Der.parseAll(value);
        }

        Tlv child(int index, int expectedTag) throws Malformed {
            List<Tlv> c = children();
            if (index >= c.size() || c.get(index).tag != expectedTag) {
                throw new Malformed("element " + index + " of tag 0x" + Integer.toHexString(tag) + " is not 0x"
                        + Integer.toHexString(expectedTag));
            }
            return c.get(index);
        }
    }

    private Der() {}

    static Tlv parse(byte[] der) throws Malformed {
        List<Tlv> all = parseAll(der);
        if (all.size() != 1) {
            throw new Malformed("expected one element, found " + all.size());
        }
        return all.get(0);
    }

    static List<Tlv> parseAll(byte[] der) throws Malformed {
        List<Tlv> out = new ArrayList<>();
        int pos = 0;
        while (pos < der.length) {
            int start = pos;
            if (pos + 2 > der.length) {
                throw new Malformed("truncated element at " + pos);
            }
            int tag = der[pos++] & 0xff;
            if ((tag & 0x1f) == 0x1f) {
                throw new Malformed("high tag numbers are not used here");
            }
            int len = der[pos++] & 0xff;
            if (len == 0x80) {
                throw new Malformed("indefinite length in DER");
            }
            if (len > 0x80) {
                int n = len & 0x7f;
                if (n > 4 || pos + n > der.length) {
                    throw new Malformed("bad length at " + start);
                }
                len = 0;
                for (int i = 0; i < n; i++) {
                    len = (len << 8) | (der[pos++] & 0xff);
                }
                if (len < 0) {
                    throw new Malformed("bad length at " + start);
                }
            }
            if (pos + len > der.length) {
                throw new Malformed("element at " + start + " runs past the end");
            }
            out.add(new Tlv(tag, Arrays.copyOfRange(der, pos, pos + len), Arrays.copyOfRange(der, start, pos + len)));
            pos += len;
        }
        return out;
    }

    /** An OBJECT IDENTIFIER's dotted form. */
    static String oid(Tlv t) throws Malformed {
        if (t.tag != OID || t.value.length == 0) {
            throw new Malformed("not an OBJECT IDENTIFIER");
        }
        StringBuilder sb = new StringBuilder();
        long v = 0;
        boolean first = true;
        for (byte b : t.value) {
            v = (v << 7) | (b & 0x7f);
            if ((b & 0x80) == 0) {
                if (first) {
                    int arc = (int) Math.min(v / 40, 2);
                    sb.append(arc).append('.').append(v - 40L * arc);
                    first = false;
                } else {
                    sb.append('.').append(v);
                }
                v = 0;
            }
        }
        return sb.toString();
    }
}
