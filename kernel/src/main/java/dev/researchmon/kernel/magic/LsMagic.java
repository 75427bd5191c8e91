package dev.researchmon.kernel.magic;

import dev.researchmon.magics.api.Display;
import dev.researchmon.magics.api.Magic;
import dev.researchmon.magics.api.MagicCall;
import dev.researchmon.magics.api.MagicContext;
import dev.researchmon.magics.api.MagicSignature;
import dev.researchmon.magics.api.MagicUsageException;

/** {@code %lsmagic}: lists every magic with its usage line, from the magics' declarations. */
final class LsMagic implements Magic {
    private static final MagicSignature SIGNATURE = MagicSignature.line(
                    "lsmagic", "list every magic with its usage and what it does")
            .build();

    private final MagicRegistry registry;

    LsMagic(MagicRegistry registry) {
        this.registry = registry;
    }

    @Override
    public MagicSignature signature() {
        return SIGNATURE;
    }

    @Override
    public Display execute(MagicCall call, MagicContext ctx) throws MagicUsageException {
        SIGNATURE.parse(call);
        return Display.text(String.join("\n", registry.listing()));
    }
}
