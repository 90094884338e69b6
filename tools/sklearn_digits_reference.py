"""Train scikit-learn's MLPClassifier on the digits splits of the default sweep, as a reference.

One hidden layer of 64 ReLU units, Adam at lr 0.001, batch 32, 30 epochs, seeds 0 to 2:
the same data, split and budget as the default sweep's adam cells. Everything else is
scikit-learn's default, including its L2 penalty alpha=1e-4.
"""

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

import datasets

# 30 epochs stop before the default tolerance is reached, which is intended here.
warnings.simplefilter("ignore", ConvergenceWarning)

scores = []
for seed in range(3):
    d = datasets.load("digits", seed=seed)
    clf = MLPClassifier(hidden_layer_sizes=(64,), solver="adam", batch_size=32,
                        max_iter=30, random_state=seed)
    clf.fit(d.X_train, d.y_train)
    scores.append(clf.score(d.X_test, d.y_test))
print("MLPClassifier on digits, test accuracy per seed:", np.round(scores, 4),
      "mean", round(float(np.mean(scores)), 4))
