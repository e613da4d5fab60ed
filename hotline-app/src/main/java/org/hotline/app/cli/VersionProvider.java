package org.hotline.app.cli;

import picocli.CommandLine;

/** The version from the jar manifest ({@code Implementation-Version}), or "development" when run from classes. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {"hotline " + (v == null ? "development" : v) + " (protocol v"
                + org.hotline.protocol.wire.ProtocolVersion.CURRENT + ")"};
    }
}
