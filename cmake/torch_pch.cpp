// Compiled only to produce the precompiled header of <torch/torch.h> shared by all torch targets.
