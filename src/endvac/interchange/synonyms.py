"""What agencies call the interchange columns, in English, Portuguese, French and Spanish.

`endvac mapping draft` matches an agency's column names against these phrases (accents,
case and punctuation ignored; the words of a phrase must all be in the column's name;
the longest phrase wins). A target is ``(file, column)``, or ``("stage", event_type)``
for a column holding the date of an event, ``("answer", event_type)`` for a yes/no column,
``("build", "record_id")`` for the agency's record number.
"""

from __future__ import annotations

Target = tuple[str, str]

# Words left out of column names before matching (articles, "date of", "number").
STOPWORDS = frozenset({
    "de", "da", "do", "das", "dos", "of", "the", "la", "le", "el", "les", "los", "du", "des",
    "d", "del", "a", "o", "e", "n", "no", "nr", "num", "data", "date", "fecha", "dt"})

SYNONYMS: tuple[tuple[Target, tuple[str, ...]], ...] = (
    (("children", "given_name"), ("nome", "name", "first name", "given name", "prenom",
                                  "nombre", "primeiro nome", "forename")),
    (("children", "family_name"), ("apelido", "sobrenome", "surname", "family name",
                                   "last name", "nom famille", "apellido", "apellidos")),
    (("children", "date_of_birth"), ("nascimento", "nasc", "birth", "dob", "birthdate",
                                     "naissance", "nacimiento")),
    (("children", "sex"), ("sexo", "sex", "gender", "genero", "sexe")),
    (("children", "region"), ("distrito", "district", "region", "regiao", "province",
                              "provincia", "departement", "departamento", "municipio")),
    (("children", "nationality"), ("nacionalidade", "nationality", "nationalite",
                                   "nacionalidad")),
    (("children", "national_id"), ("bi", "nif", "national id", "id number", "cedula", "dni",
                                   "identificacao", "identite", "identidad")),
    (("children", "address"), ("morada", "endereco", "address", "adresse", "direccion",
                               "domicilio", "residencia")),
    (("children", "parent_name"), ("nome pai", "nome mae", "parent name", "encarregado",
                                   "nom parent", "tutor", "nombre padre", "nombre madre")),
    (("build", "record_id"), ("ocorrencia", "processo", "occurrence", "case number",
                              "record id", "record", "id", "dossier", "expediente",
                              "registo", "registro", "auto", "proces verbal")),
    (("events", "offence_iccs"), ("crime", "offence", "offense", "delito", "infraccion",
                                  "infraction", "iccs")),
    (("stage", "arrest"), ("detencao", "arrest", "arrestation", "detencion", "garde vue",
                           "interpellation")),
    (("stage", "charge"), ("acusacao", "charge", "charged", "accusation", "acusacion",
                           "inculpation")),
    (("stage", "first_appearance"), ("primeira audiencia", "first appearance",
                                     "first hearing", "primera audiencia",
                                     "premiere comparution", "comparution")),
    (("stage", "verdict"), ("sentenca", "verdict", "veredicto", "jugement", "julgamento")),
    (("stage", "family_visit"), ("visita familia", "family visit", "visite famille",
                                 "visita familiar", "visita familiares")),
    (("answer", "parent_notified"), ("pais notificados", "parents notified",
                                     "parent notified", "notificacao pais",
                                     "parents informes", "padres notificados",
                                     "encarregado notificado", "pais informados")),
    (("answer", "legal_aid"), ("defensor", "advogado", "legal aid", "lawyer", "avocat",
                               "abogado", "assistencia juridica", "aide juridictionnelle")),
    (("detentions", "facility_id"), ("estabelecimento", "facility", "centro", "etablissement",
                                     "establecimiento", "institution", "centre")),
    (("detentions", "basis"), ("regime", "basis", "situacao juridica", "regimen",
                               "statut")),
    (("detentions", "start"), ("entrada", "admission", "admitted", "start", "inicio",
                               "entree", "ingreso")),
    (("detentions", "end"), ("saida", "release", "released", "end", "fim", "sortie",
                             "salida", "egreso")),
    (("detentions", "end_reason"), ("motivo saida", "release reason", "end reason",
                                    "motif sortie", "motivo salida", "reason release")),
)

# Agency labels of coded columns a draft can fill in; others are left as "?".
LABELS: dict[str, dict[str, str]] = {
    "sex": {"masculino": "m", "male": "m", "homme": "m", "hombre": "m", "masc": "m",
            "h": "m", "feminino": "f", "female": "f", "femme": "f", "mujer": "f",
            "fem": "f", "femenino": "f", "desconhecido": "u", "unknown": "u",
            "inconnu": "u", "desconocido": "u", "ignorado": "u", "nd": "u"},
}
