package org.ctys.inventory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Which ctys build this is, cheaply: the jar's path, size and time, which change with every
 * build and every installed version. A copy of an inventory parsed by another build is not used,
 * since that build may have checked less. From a classes directory (tests, development) the
 * record shapes in {@link InventoryCache} are all that is compared.
 */
final class Build {

    static final String STAMP = stamp();

    private Build() {}

    private static String stamp() {
        String version = String.valueOf(Build.class.getPackage().getImplementationVersion());
        try {
            Path code = Path.of(Build.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            BasicFileAttributes a = Files.readAttributes(code, BasicFileAttributes.class);
            return version + " " + code + (a.isRegularFile() ? " " + a.size() + " " + a.lastModifiedTime().toMillis() : "");
        } catch (Exception e) {
            return version;
        }
    }
}
