package org.kvmosgi.itests;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * Finds the state module classes keep in static fields. A module's bundle stays installed
 * after unload and keeps its class loader, so such state would survive into the next load
 * of the module, which must be indistinguishable from a fresh one.
 *
 * <p>Refused: a static field that is not final; a static final field of a mutable JDK type
 * (collections, atomics, locks, ThreadLocal, StringBuilder); a static final List, Set, Map
 * or Collection not initialised by an unmodifiable factory (List.of, Map.of, Set.of,
 * copyOf, Collections.unmodifiable..., empty..., singleton..., Stream.toList); an instance
 * field of an enum that is not final (an enum constant is a static instance); and a static
 * final array that any code but its class's static initialiser writes, hands to a method or
 * lets escape (a constant table filled once, such as a dispatch table indexed by exit
 * reason, is fine). Compiler-generated fields (switch maps, $VALUES) are skipped.
 */
final class StaticStateScanner {
    private static final Set<String> COLLECTION_INTERFACES = Set.of("java/util/List", "java/util/Set",
            "java/util/Map", "java/util/Collection", "java/util/SortedMap", "java/util/SortedSet",
            "java/util/NavigableMap", "java/util/NavigableSet");
    private static final Set<String> IMMUTABLE_FACTORY_OWNERS = Set.of("java/util/List", "java/util/Set",
            "java/util/Map", "java/util/Collections", "java/util/stream/Stream");
    private static final Set<String> MUTABLE_UTIL = Set.of("java/util/ArrayList", "java/util/LinkedList",
            "java/util/HashMap", "java/util/LinkedHashMap", "java/util/TreeMap", "java/util/HashSet",
            "java/util/LinkedHashSet", "java/util/TreeSet", "java/util/ArrayDeque", "java/util/PriorityQueue",
            "java/util/Vector", "java/util/Stack", "java/util/Hashtable", "java/util/IdentityHashMap",
            "java/util/WeakHashMap", "java/util/EnumMap", "java/util/BitSet", "java/util/Random",
            "java/util/Deque", "java/util/Queue");
    /** Calls that only read an array passed to them (as their first argument, or as the receiver of clone). */
    private static final Set<String> READ_ONLY_CALLS = Set.of("java/util/Arrays.copyOf",
            "java/util/Arrays.copyOfRange", "java/util/Arrays.toString", "java/util/Arrays.equals",
            "java/util/Arrays.hashCode", "java/util/Arrays.stream", "java/util/List.of", "java/util/Set.of",
            "java/util/Map.of", "java/util/stream/Stream.of", "java/util/stream/IntStream.of");

    private StaticStateScanner() {}

    /** One line per offending field of every class in the jar. */
    static List<String> scan(JarFile jar) throws IOException {
        List<byte[]> classes = new ArrayList<>();
        for (JarEntry e : Collections.list(jar.entries())) {
            String n = e.getName();
            if (n.endsWith(".class") && !n.endsWith("module-info.class") && !n.endsWith("package-info.class")) {
                try (InputStream in = jar.getInputStream(e)) {
                    classes.add(in.readAllBytes());
                }
            }
        }
        return scan(classes);
    }

    /** One line per offending field of the given class files, taken as one unit of code (a bundle). */
    static List<String> scan(List<byte[]> classFiles) {
        List<ClassNode> nodes = new ArrayList<>();
        for (byte[] b : classFiles) {
            ClassNode n = new ClassNode();
            new ClassReader(b).accept(n, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            nodes.add(n);
        }
        List<String> out = new ArrayList<>();
        Set<String> arrays = new HashSet<>();
        for (ClassNode c : nodes) {
            out.addAll(fields(c, arrays));
        }
        for (ClassNode c : nodes) {
            for (MethodNode m : c.methods) {
                out.addAll(arrayUses(c, m, arrays));
            }
        }
        return out;
    }

    /** The field rules for one class; its static final arrays go into {@code arrays} as owner.name. */
    private static List<String> fields(ClassNode c, Set<String> arrays) {
        List<String> out = new ArrayList<>();
        String cls = c.name.replace('/', '.');
        boolean isEnum = (c.access & Opcodes.ACC_ENUM) != 0;
        Set<String> unproven = new HashSet<>();
        for (FieldNode f : c.fields) {
            if ((f.access & Opcodes.ACC_SYNTHETIC) != 0) {
                continue;
            }
            boolean isStatic = (f.access & Opcodes.ACC_STATIC) != 0;
            boolean isFinal = (f.access & Opcodes.ACC_FINAL) != 0;
            String where = cls + "." + f.name;
            Type t = Type.getType(f.desc);
            if (!isStatic) {
                if (isEnum && !isFinal) {
                    out.add(where + ": an enum's instance field that is not final is static state");
                }
            } else if (!isFinal) {
                out.add(where + ": static field that is not final");
            } else if (t.getSort() == Type.ARRAY) {
                arrays.add(c.name + "." + f.name);
            } else if (t.getSort() == Type.OBJECT && mutableJdkType(t.getInternalName())) {
                out.add(where + ": static final " + t.getClassName() + " (a mutable type)");
            } else if (t.getSort() == Type.OBJECT && COLLECTION_INTERFACES.contains(t.getInternalName())) {
                unproven.add(f.name);
            }
        }
        // a collection field is proven unmodifiable when <clinit> stores a factory's result in it
        for (MethodNode m : c.methods) {
            if (!m.name.equals("<clinit>")) {
                continue;
            }
            boolean lastWasFactory = false;
            for (AbstractInsnNode i : m.instructions) {
                if (i instanceof FieldInsnNode fi && fi.getOpcode() == Opcodes.PUTSTATIC && fi.owner.equals(c.name)
                        && lastWasFactory) {
                    unproven.remove(fi.name);
                }
                if (i.getOpcode() >= 0) {
                    lastWasFactory = i instanceof MethodInsnNode mi && IMMUTABLE_FACTORY_OWNERS.contains(mi.owner)
                            && (mi.name.equals("of") || mi.name.equals("copyOf") || mi.name.equals("ofEntries")
                                    || mi.name.startsWith("unmodifiable") || mi.name.startsWith("empty")
                                    || mi.name.startsWith("singleton") || mi.name.equals("toList"));
                }
            }
        }
        for (String f : unproven) {
            out.add(cls + "." + f + ": static final collection not made by an unmodifiable factory"
                    + " (List.of, Map.of, copyOf, ...)");
        }
        return out;
    }

    /**
     * Where method {@code m} writes, passes on or lets escape an array read from one of the
     * static final array fields (its own class's static initialiser may fill it).
     */
    private static List<String> arrayUses(ClassNode c, MethodNode m, Set<String> allArrays) {
        List<String> out = new ArrayList<>();
        // a class's static initialiser fills its own tables as it likes
        Set<String> arrays = new HashSet<>(allArrays);
        if (m.name.equals("<clinit>")) {
            arrays.removeIf(f -> f.startsWith(c.name + "."));
        }
        if (arrays.isEmpty() || m.instructions.size() == 0) {
            return out;
        }
        Frame<SourceValue>[] frames;
        try {
            frames = new Analyzer<>(new OriginInterpreter()).analyze(c.name, m);
        } catch (AnalyzerException e) {
            out.add(c.name.replace('/', '.') + "." + m.name + ": cannot be analysed: " + e.getMessage());
            return out;
        }
        String where = c.name.replace('/', '.') + "." + m.name;
        AbstractInsnNode[] insns = m.instructions.toArray();
        for (int k = 0; k < insns.length; k++) {
            Frame<SourceValue> f = frames[k];
            AbstractInsnNode i = insns[k];
            if (f == null) {
                continue;
            }
            int op = i.getOpcode();
            int top = f.getStackSize() - 1;
            if (op >= Opcodes.IASTORE && op <= Opcodes.SASTORE) {
                String field = watched(f.getStack(top - 2), arrays);
                if (field != null) {
                    out.add(name(field) + ": static final array written by " + where);
                }
                if (op == Opcodes.AASTORE) {
                    escapes(out, watched(f.getStack(top), arrays), where, "stored into another array");
                }
            } else if (op == Opcodes.ARETURN) {
                escapes(out, watched(f.getStack(top), arrays), where, "returned");
            } else if (op == Opcodes.PUTFIELD || op == Opcodes.PUTSTATIC) {
                escapes(out, watched(f.getStack(top), arrays), where, "stored in a field");
            } else if (i instanceof MethodInsnNode mi) {
                int args = Type.getArgumentTypes(mi.desc).length + (op == Opcodes.INVOKESTATIC ? 0 : 1);
                for (int a = 0; a < args; a++) {
                    String field = watched(f.getStack(top - args + 1 + a), arrays);
                    boolean readOnly = a == 0 && (READ_ONLY_CALLS.contains(mi.owner + "." + mi.name)
                            || mi.name.equals("clone") || (mi.owner.equals("java/lang/System")
                                    && mi.name.equals("arraycopy")));
                    if (field != null && !readOnly) {
                        escapes(out, field, where, "passed to " + mi.owner.replace('/', '.') + "." + mi.name);
                    }
                }
            } else if (op == Opcodes.INVOKEDYNAMIC) {
                org.objectweb.asm.tree.InvokeDynamicInsnNode d = (org.objectweb.asm.tree.InvokeDynamicInsnNode) i;
                int args = Type.getArgumentTypes(d.desc).length;
                for (int a = 0; a < args; a++) {
                    escapes(out, watched(f.getStack(top - args + 1 + a), arrays), where, "captured by a lambda");
                }
            }
        }
        return out;
    }

    private static void escapes(List<String> out, String field, String where, String how) {
        if (field != null) {
            out.add(name(field) + ": static final array " + how + " in " + where + " (it may be changed there)");
        }
    }

    private static String name(String field) {
        return field.replace('/', '.');
    }

    /** The watched field a value was read from, or null. */
    private static String watched(SourceValue v, Set<String> arrays) {
        for (AbstractInsnNode src : v.insns) {
            if (src instanceof FieldInsnNode fi && fi.getOpcode() == Opcodes.GETSTATIC
                    && arrays.contains(fi.owner + "." + fi.name)) {
                return fi.owner + "." + fi.name;
            }
        }
        return null;
    }

    /** SourceInterpreter that keeps a value's origin through copies (locals, dup), so a table read into a local is still the table. */
    private static final class OriginInterpreter extends SourceInterpreter {
        OriginInterpreter() {
            super(Opcodes.ASM9);
        }

        @Override
        public SourceValue copyOperation(AbstractInsnNode insn, SourceValue value) {
            return value;
        }
    }

    private static boolean mutableJdkType(String internalName) {
        return (internalName.startsWith("java/util/concurrent/") && !internalName.equals("java/util/concurrent/TimeUnit"))
                || internalName.equals("java/lang/ThreadLocal") || internalName.equals("java/lang/InheritableThreadLocal")
                || internalName.equals("java/lang/StringBuilder") || internalName.equals("java/lang/StringBuffer")
                || MUTABLE_UTIL.contains(internalName);
    }
}
