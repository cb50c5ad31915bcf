"""Reading records out through a serializer at a bare view's cost.

REST framework's `Serializer.to_representation` asks each field, for each row, how to read itself
(`get_attribute` walks the source, tests for callables, catches errors, then `to_representation`). For a
page of 50 employees that generic walk cost more than the database. `QuickRepresentation` works out once
per serializer how each readable field is read (a plain attribute, a key column of a relation, or a
relation's field through `select_related` rows) and then only reads; any other field keeps REST
framework's own way, so the output is the same dict, key for key."""
from __future__ import annotations

from operator import attrgetter

from rest_framework import fields, relations

# Fields whose to_representation gives back a value of this type unchanged.
PLAIN = ((fields.EmailField, str), (fields.ChoiceField, str), (fields.CharField, str),
         (fields.BooleanField, bool), (fields.IntegerField, int))


def _reader(field):
    """A function of the record giving the field's representation, or None for REST framework's way. A
    reader raises AttributeError where REST framework's way must decide (a relation on the way is empty)."""
    attrs = field.source_attrs
    if not attrs or field.source == "*" or isinstance(field, (fields.SerializerMethodField, fields.MultipleChoiceField)):
        return None
    if isinstance(field, relations.PrimaryKeyRelatedField) and len(attrs) == 1 and not field.pk_field:
        return attrgetter(f"{attrs[0]}_id")
    if isinstance(field, relations.SlugRelatedField) and len(attrs) == 1:
        related, slug = attrs[0], field.slug_field

        def read_slug(record):
            target = getattr(record, related)
            return None if target is None else getattr(target, slug)
        return read_slug
    if isinstance(field, relations.RelatedField):
        return None
    kind = next((kind for field_class, kind in PLAIN if isinstance(field, field_class)), None)
    if kind is None and not isinstance(field, (fields.DateField, fields.DateTimeField)):
        return None
    *way, last = attrs

    def read(record):
        value = record
        for name in way:
            value = getattr(value, name)
            if value is None:
                raise AttributeError(name)  # REST framework leaves the field out, or gives its default
        value = getattr(value, last)
        if value is None or (kind is not None and type(value) is kind):
            return value
        if callable(value):
            raise AttributeError(last)  # a method as source: REST framework calls it
        return field.to_representation(value)
    return read


class QuickRepresentation:
    """Mixin for a (model) serializer: the same representation, read with a plan made once."""

    def _reading_plan(self):
        plan = self.__dict__.get("_quick_plan")
        if plan is None:
            plan = [(field.field_name, _reader(field), field) for field in self._readable_fields]
            self.__dict__["_quick_plan"] = plan
        return plan

    def to_representation(self, instance):
        result = {}
        for name, reader, field in self._reading_plan():
            if reader is not None:
                try:
                    result[name] = reader(instance)
                    continue
                except AttributeError:  # a one-to-one that is missing, say: REST framework's way decides
                    pass
            try:
                attribute = field.get_attribute(instance)
            except fields.SkipField:
                continue
            check = attribute.pk if isinstance(attribute, relations.PKOnlyObject) else attribute
            result[name] = None if check is None else field.to_representation(attribute)
        return result
