"""A ModelSerializer that reads its model once per class instead of once per instance."""

import copy

from rest_framework import serializers


class ModelSerializer(serializers.ModelSerializer):
    """DRF's ModelSerializer, with the fields it derives from the model built once per class.

    DRF derives the fields from the model for every serializer instance: for a work order's
    thirty-odd fields that is about a millisecond and a half, most of a step's answer. Each
    instance gets its own copies of the fields built the first time, as DRF gives each its
    own copies of the fields declared on the class; `get_fields` must therefore not depend
    on the instance or its context, which is true of every serializer that uses this class.
    """

    def get_fields(self):
        cls = type(self)
        built = cls.__dict__.get("_fields_built_once")
        if built is None:
            built = super().get_fields()
            cls._fields_built_once = built
        return copy.deepcopy(built)
