"""Every layer of ``chainrule.nn``."""
from .module import Module
from .container import Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict
from .linear import Identity, Linear, Bilinear
from .activation import (ReLU, ReLU6, LeakyReLU, PReLU, RReLU, ELU, CELU, SELU, GELU, SiLU, Mish,
                         Sigmoid, Tanh, Hardtanh, Softplus, Softsign, Hardswish, Hardsigmoid,
                         LogSigmoid, Tanhshrink, Softshrink, Hardshrink, Threshold, Softmax,
                         LogSoftmax, Softmin)
from .flatten import Flatten, Unflatten
from .dropout import Dropout, Dropout1d, Dropout2d, AlphaDropout
from .conv import Conv1d, Conv2d, ConvTranspose2d
from .pooling import (MaxPool1d, MaxPool2d, AvgPool1d, AvgPool2d, AdaptiveAvgPool1d,
                      AdaptiveAvgPool2d)
from .normalization import BatchNorm1d, BatchNorm2d, LayerNorm, GroupNorm
from .sparse import Embedding
from .loss import (L1Loss, MSELoss, SmoothL1Loss, HuberLoss, CrossEntropyLoss, NLLLoss, BCELoss,
                   BCEWithLogitsLoss, KLDivLoss, CosineEmbeddingLoss, MarginRankingLoss,
                   HingeEmbeddingLoss, SoftMarginLoss, PoissonNLLLoss, GaussianNLLLoss)
from .rnn import RNNBase, RNN, LSTM, GRU, RNNCellBase, RNNCell, LSTMCell, GRUCell
