"""Record kinds. Each module here registers one kind with `oa.core.registry.register`."""
