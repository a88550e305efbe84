"""The checks of a case, one module per family. Each `check(ctx)` yields minimal Hits; the
engine attaches code metadata, step, evidence and nests consequences under their roots.
`flow` runs first: the others read the alignment it classified (ctx.move_root, ctx.done)."""
