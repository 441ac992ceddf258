"""Words of a French Mission Locale: names, streets, communes with their real postcodes, sites,
reference values of i-milo. Plain data; every clean value here triggers no rule."""

from __future__ import annotations

# fmt: off
STRUCTURE = "Mission Locale Rhône Est"
STRUCTURE_ADDRESS = ("12", "Rue Jean Jaurès", "69200", "Vénissieux")  # an SDF youth's address
STAFF_EMAIL_DOMAIN = "ml-rhone-est.fr"

PRENOMS_F = (
    "Léa", "Chloé", "Manon", "Emma", "Inès", "Camille", "Sarah", "Océane", "Jade", "Lucie", "Anaïs",
    "Laura", "Clara", "Maëlys", "Noémie", "Julie", "Marie", "Lina", "Yasmine", "Kenza", "Aya", "Mélissa",
    "Amandine", "Justine", "Pauline", "Zoé", "Elisa", "Louise", "Salomé", "Nour", "Fatoumata", "Aïcha",
    "Myriam", "Sofia", "Romane", "Lou", "Axelle", "Margaux", "Emeline", "Célia", "Lisa", "Assia", "Hélène",
    "Morgane", "Ambre", "Naïma", "Samira", "Héloïse", "Eva", "Alicia",
)
PRENOMS_M = (
    "Lucas", "Hugo", "Théo", "Nathan", "Enzo", "Mathis", "Yanis", "Kévin", "Thomas", "Maxime", "Adam",
    "Rayan", "Noah", "Louis", "Mehdi", "Bilal", "Jérémy", "Quentin", "Dylan", "Anthony", "Alexandre",
    "Mattéo", "Raphaël", "Gaëtan", "Loïc", "Samuel", "Ibrahim", "Moussa", "Youssef", "Karim", "Sofiane",
    "Julien", "Florian", "Baptiste", "Clément", "Antoine", "Valentin", "Benjamin", "Killian", "Amine",
    "Ismaël", "Mamadou", "Ethan", "Tom", "Jules", "Nicolas", "Romain", "Alexis", "Bryan", "Jean-Baptiste",
)
NOMS = (  # as the charter wants them: capitals without accents
    "MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS", "MOREAU", "LAURENT",
    "SIMON", "MICHEL", "LEFEBVRE", "LEROY", "ROUX", "DAVID", "BERTRAND", "MOREL", "FOURNIER", "GIRARD",
    "BONNET", "DUPONT", "LAMBERT", "FONTAINE", "ROUSSEAU", "VINCENT", "MULLER", "LEFEVRE", "FAURE",
    "ANDRE", "MERCIER", "BLANC", "GUERIN", "BOYER", "GARNIER", "CHEVALIER", "FRANCOIS", "LEGRAND",
    "GAUTHIER", "GARCIA", "PERRIN", "ROBIN", "CLEMENT", "MORIN", "NICOLAS", "HENRY", "ROUSSEL", "MATHIEU",
    "GAUTIER", "MASSON", "MARCHAND", "DUVAL", "DENIS", "DUMONT", "MARIE", "LEMAIRE", "NOEL", "MEYER",
    "DUFOUR", "MEUNIER", "BRUN", "BLANCHARD", "GIRAUD", "JOLY", "RIVIERE", "LUCAS", "BRUNET", "GAILLARD",
    "BARBIER", "ARNAUD", "MARTINEZ", "GERARD", "ROCHE", "RENARD", "SCHMITT", "ROY", "LEROUX", "COLIN",
    "VIDAL", "CARON", "PICARD", "ROGER", "FABRE", "AUBERT", "LEMOINE", "RENAUD", "DUMAS", "LACROIX",
    "OLIVIER", "PHILIPPE", "BOURGEOIS", "PIERRE", "BENOIT", "REY", "LECLERC", "PAYET", "ROLLAND",
    "BENALI", "BELKACEM", "HADDAD", "BOUZID", "CHERIF", "MANSOURI", "DIALLO", "TRAORE", "KONE", "DIOP",
    "NGUYEN", "TRAN", "PEREIRA", "DA SILVA", "FERREIRA", "RODRIGUES", "LOPEZ", "SANCHEZ", "YILMAZ",
    "N'DIAYE", "D'ALMEIDA", "LE GOFF", "LE GALL", "SAINT-MARTIN", "BOUCHER-ROY", "COULIBALY", "CAMARA",
)
# Surnames written as users type them, against the charter's capitals (IDN-01 plants).
NOMS_MAL_SAISIS = ("Dupont", "Lefèvre", "Benali", "Moreau", "Girard", "Rivière")
NOMS_ACCENTUES = ("BÉNARD", "LEFÈVRE", "GUÉRIN", "RIVIÈRE", "FRANÇOIS", "MÉNARD")

# Staff: first names that are no surname of the list below, so that « Prénom Nom » of one account
# is never « Nom Prénom » of another.
STAFF_PRENOMS = (
    "Sylvie", "Nathalie", "Isabelle", "Sandrine", "Valérie", "Christine", "Céline", "Stéphanie", "Karine",
    "Delphine", "Aurélie", "Virginie", "Sophie", "Magali", "Audrey", "Véronique", "Laurence", "Agnès",
    "Patrick", "Philippe", "Olivier", "Frédéric", "Christophe", "Laurent", "Eric", "Stéphane", "Pascal",
    "Didier", "Sébastien", "Jérôme", "Franck", "Cédric", "Hervé", "Vincent", "Arnaud", "Gilles",
)
STAFF_NOMS = (
    "CHAUVIN", "PRÉVOST", "BESSON", "TEIXEIRA", "CORDIER", "BAILLY", "HUMBERT", "PERROT", "CARPENTIER",
    "DESCHAMPS", "BRETON", "MAILLARD", "LEBRUN", "COLLET", "CHARPENTIER", "POULAIN", "GRONDIN", "VASSEUR",
    "TESSIER", "BARRE", "GILLET", "BOUVIER", "HOARAU", "LANGLOIS", "RÉMY", "GUICHARD", "POIRIER", "JACOB",
    "BAUDRY", "DELMAS", "MONNIER", "LECOMTE", "BERTIN", "RENAULT", "MARECHAL", "BOURDON", "LEBLANC",
    "HUET", "HUBERT", "MILLET", "GRENIER", "PERRET", "CARRE", "COSTE", "BAILLEUL", "COUSIN", "VALLEE",
    "GUILLOT", "CHAPUIS", "LEVEQUE",
)

# (commune, postcode): real postcodes of the Rhône and of the Ain next door (leading zero kept).
COMMUNES = (
    ("Lyon", "69001"), ("Lyon", "69003"), ("Lyon", "69007"), ("Lyon", "69008"), ("Lyon", "69009"),
    ("Villeurbanne", "69100"), ("Vénissieux", "69200"), ("Saint-Fons", "69190"), ("Bron", "69500"),
    ("Vaulx-en-Velin", "69120"), ("Saint-Priest", "69800"), ("Givors", "69700"), ("Grigny", "69520"),
    ("Oullins-Pierre-Bénite", "69600"), ("Brignais", "69530"), ("Meyzieu", "69330"),
    ("Décines-Charpieu", "69150"), ("Rillieux-la-Pape", "69140"), ("Caluire-et-Cuire", "69300"),
    ("Feyzin", "69320"), ("Corbas", "69960"), ("Chassieu", "69680"), ("Genas", "69740"),
    ("Miribel", "01700"), ("Montluel", "01120"), ("Neyron", "01700"),
)
LIEU_DIT = ("Mornant", "69440", "Lieu-dit Les Granges")
VOIES = (
    "Rue Victor Hugo", "Avenue Jean Jaurès", "Boulevard des États-Unis", "Chemin des Vignes",
    "Rue de la République", "Allée des Tilleuls", "Impasse des Lilas", "Cours Émile Zola",
    "Route de Vienne", "Rue Paul Bert", "Avenue Berthelot", "Rue du Professeur Calmette",
    "Rue Anatole France", "Avenue Marcel Cachin", "Rue Gabriel Péri", "Place de la Paix",
    "Rue Jules Guesde", "Avenue Franklin Roosevelt", "Rue des Frères Lumière", "Montée de la Grande Côte",
    "Rue Pasteur", "Rue du 8 Mai 1945", "Avenue de la Division Leclerc", "Rue Lamartine",
    "Chemin du Moulin", "Rue de la Gare", "Rue Édouard Herriot", "Rue Ampère", "Quai Perrache",
)
COMPLEMENTS = (
    "Bât. B", "Appt 12", "Résidence Les Érables", "Escalier 3", "Bâtiment C, porte 24",
    "Chez Mme Benali", "Foyer Jeunes Travailleurs",
)
QPV = ("Les Minguettes", "Mas du Taureau", "La Duchère", "Parilly", "Les Buers", "Vernay-Verchères")

SITES = (
    "Siège Lyon 7e", "Antenne Villeurbanne", "Antenne Vénissieux", "Antenne Bron",
    "Antenne Vaulx-en-Velin", "Antenne Saint-Priest",
)
SMALL_SITE = "Permanence Givors"  # one counsellor: the site of the planted ORI-01 site group

# Email providers of rules.md (EML-04) with realistic weights; the clean sample uses only these.
PROVIDERS = (
    ("gmail.com", 46), ("hotmail.fr", 14), ("outlook.fr", 7), ("yahoo.fr", 4), ("icloud.com", 6),
    ("orange.fr", 5), ("live.fr", 3), ("free.fr", 3), ("sfr.fr", 2), ("laposte.net", 2),
    ("hotmail.com", 3), ("wanadoo.fr", 1), ("outlook.com", 3), ("yahoo.com", 1),
)

DEMARCHE_PERSONNELLE = ("Démarche personnelle", "DEMARCHE  personnelle", "démarche personnelle", "Demarche personnelle")
ORIGINES = (
    ("Prescription France Travail", 22), ("Bouche à oreille", 18), ("Établissement scolaire", 14),
    ("Famille / entourage", 12), ("Service social", 9), ("Presse, médias", 8), ("Réseau partenaire", 8),
    ("Forum / salon", 3), ("Prescription PIJ", 4),
)
SITUATIONS_FAMILIALES = (("Célibataire", 85), ("Vie maritale", 8), ("Marié(e)", 4), ("Pacsé(e)", 3))
LOCOMOTION = (
    ("Transports en commun", 55), ("Aucun", 14), ("Voiture", 12), ("Vélo", 9), ("Deux-roues motorisé", 6),
    ("Covoiturage", 4),
)
EVENT_TYPES = (
    ("Entretien individuel", 45), ("Téléphone", 20), ("Atelier", 10), ("Information collective", 6),
    ("SMS", 8), ("Email", 7), ("Courrier", 4),
)

# Resources.
SALAIRE, CHOMAGE, AUCUN, AUTRE = "Salaire", "Allocation chômage", "Aucun", "Autre"
AUCUN_SPELLINGS = ("Aucun", "aucun", "AUCUN", "Aucun ")
RESSOURCES_PAYEES = ("Salaire", "Allocation chômage", "Allocation CEJ", "RSA", "Bourse", "Prime d'activité")

# Trainings.
OBJECTIFS = (
    "Certification", "Professionnalisation", "Préparation à la qualification",
    "(Re)mobilisation, aide à l'élaboration de projet professionnel",
    "Remise à niveau, maîtrise des savoirs de base, initiation", "Création d'entreprise",
)
OBJECTIF_INTERDIT = (
    "Perfectionnement, élargissement des compétences", "perfectionnement, elargissement des competences",
)
VALIDATIONS = (  # (validation préparée, niveau)
    ("CAP", "3 (CAP, BEP)"), ("Titre professionnel", "4 (Bac)"), ("Baccalauréat professionnel", "4 (Bac)"),
    ("Aucune certification", "Sans niveau"), ("Autre certification sans niveau spécifique", "Sans niveau"),
    ("BTS", "5 (Bac+2)"), ("Certificat de qualification professionnelle", "3 (CAP, BEP)"),
)
VALIDATION_INTERDITE = "Une attestation de qualification et aptitude"
FORMATIONS = (  # (intitulé, organisme, formacode, NSF)
    ("Agent de propreté et d'hygiène", "AFPA Vénissieux", "42054", "343"),
    ("Préparation opérationnelle à l'emploi logistique", "AFTRAL Saint-Priest", "31811", "311"),
    ("Remise à niveau savoirs de base", "Centre social Bron Terraillon", "15084", "415"),
    ("Vendeur conseil en magasin", "CCI Formation Lyon", "34566", "312"),
    ("Assistant de vie aux familles", "GRETA Lyon Métropole", "44054", "330"),
    ("Cuisinier", "CFA Institut Bocuse", "42752", "221"),
    ("Code et sécurité routière", "Auto-école sociale Vaulx", "31734", "311"),
    ("Développeur web", "Simplon Villeurbanne", "31054", "326"),
    ("Agent de sécurité (TFP APS)", "Centre de formation ISC", "42829", "344"),
    ("Prépa apprentissage", "E2C Lyon", "15041", "415"),
    ("Électricien d'équipement du bâtiment", "AFPA Saint-Priest", "22454", "255"),
)
MOTIFS_INTERRUPTION = ("Abandon", "Accès à l'emploi", "Raisons de santé", "Exclusion", "Déménagement")
ORIGINES_SAISIE = ("Rafael", "OuiForm", "MER formation externe", "MER formation interne", "Saisie manuelle")

# Dispositifs.
DIAGNOSTIC, PACEA, CEJ, CER, BRSA = "Diagnostic approfondi", "PACEA", "CEJ", "CER", "Convention B-RSA"
MOTIFS_SORTIE_PACEA = ("Accès à l'autonomie", "Abandon", "Non respect des engagements", "Limite d'âge 26 ans")
MOTIFS_SORTIE_CEJ = ("Emploi durable", "Formation qualifiante", "Abandon", "Fin de contrat")
AUTRES_DISPOSITIFS = ("Parrainage", "Garantie jeunes", "PIAL")

# Users.
FONCTION_CONSEILLER = "Conseiller référent"
STAFF_ROLES = (  # (profil, fonctions) of non-counsellor staff
    ("Accueil", "Chargé(e) d'accueil"),
    ("Administratif", "Assistant(e) administratif(ve)"),
    ("Chargé de projet", "Chargé(e) de projet / Relations entreprises"),
    ("Encadrement", "Responsable de secteur"),
    ("Administratif", "Comptabilité"),
)
# fmt: on
