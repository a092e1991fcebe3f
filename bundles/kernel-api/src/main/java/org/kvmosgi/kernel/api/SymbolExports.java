package org.kvmosgi.kernel.api;

/** Where a module puts the objects behind the symbols it declares with {@code @ExportSymbol}. */
public interface SymbolExports {
    /**
     * The object behind an exported symbol: usually a functional interface bound to
     * the module, or a data object. {@code type} is the interface importers ask for.
     */
    <T> void put(String symbol, Class<T> type, T value);
}
