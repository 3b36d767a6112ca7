package layer45.runtime.view;

/** The owner of views in tests that never misuse them: any report of a kept view fails the test. */
final class StrictOwner implements ViewOwner {

    private final String module;

    StrictOwner(String module) {
        this.module = module;
    }

    @Override
    public void keptViewUsed(String problem) {
        throw new AssertionError("no view is misused in this test: " + problem);
    }

    @Override
    public String moduleName() {
        return module;
    }
}
