"""Model.backward visits the layers in forward order instead of reverse."""

CATCHES = ["Model"]


def _backward_in_forward_order(self):
    self.loss.backward()
    for layer in self.layers:
        layer.backward()


Model.backward = _backward_in_forward_order
