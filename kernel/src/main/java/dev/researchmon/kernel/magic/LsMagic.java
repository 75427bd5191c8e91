package dev.researchmon.kernel.magic;

import dev.researchmon.magics.api.Display;
import dev.researchmon.magics.api.Magic;
import dev.researchmon.magics.api.MagicCall;
import dev.researchmon.magics.api.MagicContext;
import dev.researchmon.magics.api.MagicUsageException;

/** {@code %lsmagic}: lists every magic with its usage line. */
final class LsMagic implements Magic {
    private final MagicRegistry registry;

    LsMagic(MagicRegistry registry) {
        this.registry = registry;
    }

    @Override
    public String name() {
        return "lsmagic";
    }

    @Override
    public String usage() {
        return "%lsmagic";
    }

    @Override
    public String description() {
        return "list every magic with its usage and what it does";
    }

    @Override
    public Display execute(MagicCall call, MagicContext ctx) throws MagicUsageException {
        if (!call.args().isEmpty()) {
            throw new MagicUsageException("usage: " + usage());
        }
        return Display.text(String.join("\n", registry.listing()));
    }
}
