package org.ctys.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * localhost as a KVM host whose libvirt is the test driver ({@code test:///NODE.xml}): real virsh,
 * no daemon, no SSH (ctys runs virsh itself for localhost). Every guest runs. Each virsh reads the
 * node file anew, so the guests get fixed UUIDs: a listing's UUIDs name the same guests in the next
 * virsh. Nothing a command does to a guest lasts beyond that virsh.
 */
public final class TestDriverHost {
    private TestDriverHost() {}

    /** Writes {@code dir/node.xml} with {@code guests} and returns {@code dir/inventory.yaml}, which has localhost use it. */
    public static Path inventory(Path dir, List<String> guests) throws IOException {
        StringBuilder node = new StringBuilder("<node>\n");
        for (int i = 0; i < guests.size(); i++) {
            if (guests.get(i).matches(".*[<>&'\"].*")) throw new IllegalArgumentException("written as it is into XML: " + guests.get(i));
            node.append("  <domain type='test'><name>").append(guests.get(i)).append("</name>")
                    .append(String.format("<uuid>6f1c0a5e-0000-4000-8000-%012d</uuid>", i + 1))
                    .append("<memory>65536</memory><os><type>hvm</type></os></domain>\n");
        }
        Path file = Files.writeString(dir.resolve("node.xml"), node.append("</node>\n"));
        return Files.writeString(dir.resolve("inventory.yaml"), """
                machines:
                  localhost:
                    hypervisor: kvm
                    uri: test://%s
                """.formatted(file));
    }
}
