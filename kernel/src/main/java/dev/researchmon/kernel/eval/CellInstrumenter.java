package dev.researchmon.kernel.eval;

import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Rewrites a cell's class file as JShell loads it, so that the cell can be stopped and cannot end
 * the kernel, the same way on every JDK:
 * <ul>
 *   <li>a call to {@link CellHooks#checkStop()} at every method entry and before every backward
 *   branch, so {@code while (true) {}}, a loop in a method the cell defined, and a lambda that an
 *   endless stream keeps calling all reach a check (JDK 20+ does the same in its own local engine);</li>
 *   <li>{@code System.exit}, {@code Runtime.exit} and {@code Runtime.halt}, called or taken as a
 *   method reference, become calls to {@link CellHooks}' refusals.</li>
 * </ul>
 * The inserted calls take nothing from the operand stack and leave nothing on it, and a rewritten
 * exit call consumes what the original did, so stack sizes and frames stay valid as they are.
 *
 * <pre>{@code
 * byte[] safe = CellInstrumenter.instrument(classFile);
 * }</pre>
 */
final class CellInstrumenter {
    private static final String HOOKS = Type.getInternalName(CellHooks.class);

    private CellInstrumenter() {}

    static byte[] instrument(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(0);
        reader.accept(
                new ClassVisitor(Opcodes.ASM9, writer) {
                    @Override
                    public MethodVisitor visitMethod(
                            int access, String name, String descriptor, String signature, String[] exceptions) {
                        MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                        return (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0 ? mv : new Hooked(mv);
                    }
                },
                0);
        return writer.toByteArray();
    }

    private static final class Hooked extends MethodVisitor {
        /** Labels already passed: a jump to one of them goes backwards. */
        private final Set<Label> seen = new HashSet<>();

        Hooked(MethodVisitor next) {
            super(Opcodes.ASM9, next);
        }

        private void checkStop() {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "checkStop", "()V", false);
        }

        @Override
        public void visitCode() {
            super.visitCode();
            checkStop();
        }

        @Override
        public void visitLabel(Label label) {
            seen.add(label);
            super.visitLabel(label);
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            if (seen.contains(label)) {
                checkStop();
            }
            super.visitJumpInsn(opcode, label);
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            if (seen.contains(dflt) || anySeen(labels)) {
                checkStop();
            }
            super.visitTableSwitchInsn(min, max, dflt, labels);
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            if (seen.contains(dflt) || anySeen(labels)) {
                checkStop();
            }
            super.visitLookupSwitchInsn(dflt, keys, labels);
        }

        private boolean anySeen(Label[] labels) {
            for (Label l : labels) {
                if (seen.contains(l)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            Handle exit = exitReplacement(owner, name, descriptor, opcode == Opcodes.INVOKESTATIC);
            if (exit != null) {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, exit.getOwner(), exit.getName(), exit.getDesc(), false);
            } else {
                super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
            }
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... args) {
            Object[] rewritten = args.clone();
            for (int i = 0; i < rewritten.length; i++) {
                rewritten[i] = rewriteConstant(rewritten[i]);
            }
            super.visitInvokeDynamicInsn(name, descriptor, bootstrap, rewritten);
        }

        @Override
        public void visitLdcInsn(Object value) {
            super.visitLdcInsn(rewriteConstant(value));
        }
    }

    /** A method handle constant for an exit call ({@code System::exit}) becomes one for its refusal. */
    private static Object rewriteConstant(Object constant) {
        if (constant instanceof Handle h) {
            boolean isStatic = h.getTag() == Opcodes.H_INVOKESTATIC;
            boolean isVirtual = h.getTag() == Opcodes.H_INVOKEVIRTUAL;
            if (isStatic || isVirtual) {
                Handle exit = exitReplacement(h.getOwner(), h.getName(), h.getDesc(), isStatic);
                if (exit != null) {
                    return exit;
                }
            }
        }
        return constant;
    }

    /** The refusal that replaces an exit call, or null for any other method. */
    private static Handle exitReplacement(String owner, String name, String descriptor, boolean isStatic) {
        if (!descriptor.equals("(I)V")) {
            return null;
        }
        if (isStatic && owner.equals("java/lang/System") && name.equals("exit")) {
            return new Handle(Opcodes.H_INVOKESTATIC, HOOKS, "exit", "(I)V", false);
        }
        if (!isStatic && owner.equals("java/lang/Runtime") && (name.equals("exit") || name.equals("halt"))) {
            return new Handle(Opcodes.H_INVOKESTATIC, HOOKS, name, "(Ljava/lang/Runtime;I)V", false);
        }
        return null;
    }
}
