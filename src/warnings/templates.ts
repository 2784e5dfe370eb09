import type { Category, Certainty, ResponseType, Severity, Urgency } from './model.js';

/**
 * Warning templates, as data: what a person starts from when an incident calls for a public warning. French
 * first (the demo city is Monaco), English and Italian after. Texts carry {{placeholders}} that authoring.ts
 * fills; each template lists the ones it needs. Instructions say what to do, in the order to do it, because
 * that is what people act on. Every template also carries its all-clear text, and CANCEL_TEXT serves every
 * template: a cancellation must never wait for someone to write it.
 */

export const TEMPLATE_LANGUAGES = ['fr', 'en', 'it'] as const;
export type TemplateLanguage = (typeof TEMPLATE_LANGUAGES)[number];

export interface TemplateText {
  event: string;
  headline: string;
  description: string;
  instruction: string;
}

export interface TemplateFacts {
  category: Category[];
  responseType: ResponseType[];
  urgency: Urgency;
  severity: Severity;
  certainty: Certainty;
  text: Record<TemplateLanguage, TemplateText>;
}

export interface WarningTemplate extends TemplateFacts {
  id: string;
  /** Incident types (incidents capability) for which this template is offered first. */
  incidentTypes: string[];
  /** How long the warning is in force when the author does not say. */
  defaultDurationHours: number;
  allClear: TemplateFacts;
}

const ALL_CLEAR = { responseType: ['AllClear'], urgency: 'Past', severity: 'Minor', certainty: 'Observed' } as const;

export const WARNING_TEMPLATES: readonly WarningTemplate[] = [
  {
    id: 'boil-water',
    incidentTypes: ['water-contamination', 'water-quality', 'scada-attack'],
    defaultDurationHours: 48,
    category: ['Health'],
    responseType: ['Execute'],
    urgency: 'Expected',
    severity: 'Moderate',
    certainty: 'Likely',
    text: {
      fr: {
        event: "Avis de faire bouillir l'eau",
        headline: "Faites bouillir l'eau du robinet avant de la boire – {{areaDesc}}",
        description: "{{issuer}} a détecté un risque de contamination microbiologique de l'eau potable distribuée à {{areaDesc}}. Jusqu'à nouvel ordre, l'eau du robinet doit être bouillie avant d'être bue ou utilisée pour l'alimentation.",
        instruction: "Portez l'eau du robinet à ébullition franche pendant au moins une minute et laissez-la refroidir avant de la boire, de préparer les repas ou les biberons, de faire des glaçons ou de vous brosser les dents. L'eau en bouteille est une alternative sûre. L'eau peut servir sans ébullition à la toilette et aux sanitaires. Renseignements : {{contact}}.",
      },
      en: {
        event: 'Boil water notice',
        headline: 'Boil tap water before drinking – {{areaDesc}}',
        description: '{{issuer}} has detected a risk of microbiological contamination of the drinking water supplied to {{areaDesc}}. Until further notice, tap water must be boiled before it is drunk or used for food.',
        instruction: 'Bring tap water to a rolling boil for at least one minute and let it cool before drinking it, preparing food or baby formula, making ice or brushing teeth. Bottled water is a safe alternative. Water may be used without boiling for washing and flushing. Information: {{contact}}.',
      },
      it: {
        event: "Avviso di bollitura dell'acqua",
        headline: "Bollire l'acqua del rubinetto prima di berla – {{areaDesc}}",
        description: "{{issuer}} ha rilevato un rischio di contaminazione microbiologica dell'acqua potabile distribuita a {{areaDesc}}. Fino a nuovo avviso, l'acqua del rubinetto deve essere bollita prima di essere bevuta o usata per gli alimenti.",
        instruction: "Portare l'acqua del rubinetto a piena ebollizione per almeno un minuto e lasciarla raffreddare prima di berla, preparare cibi o latte per neonati, fare il ghiaccio o lavarsi i denti. L'acqua in bottiglia è un'alternativa sicura. L'acqua può essere usata senza bollirla per lavarsi e per gli scarichi. Informazioni: {{contact}}.",
      },
    },
    allClear: {
      ...ALL_CLEAR,
      category: ['Health'],
      responseType: ['AllClear'],
      text: {
        fr: {
          event: "Avis de faire bouillir l'eau",
          headline: "Levée de l'avis de faire bouillir l'eau – {{areaDesc}}",
          description: "Les analyses de {{issuer}} confirment que l'eau potable distribuée à {{areaDesc}} est de nouveau conforme. L'avis de faire bouillir l'eau est levé.",
          instruction: "Faites couler l'eau froide pendant deux minutes avant la première utilisation. Videz et nettoyez les machines à glaçons et les fontaines à boissons. Renseignements : {{contact}}.",
        },
        en: {
          event: 'Boil water notice',
          headline: 'Boil water notice lifted – {{areaDesc}}',
          description: 'Tests by {{issuer}} confirm that the drinking water supplied to {{areaDesc}} is safe again. The boil water notice is lifted.',
          instruction: 'Run cold taps for two minutes before first use. Empty and clean ice makers and drinks dispensers. Information: {{contact}}.',
        },
        it: {
          event: "Avviso di bollitura dell'acqua",
          headline: "Revocato l'avviso di bollitura – {{areaDesc}}",
          description: "Le analisi di {{issuer}} confermano che l'acqua potabile distribuita a {{areaDesc}} è di nuovo sicura. L'avviso di bollitura è revocato.",
          instruction: "Far scorrere l'acqua fredda per due minuti prima del primo utilizzo. Svuotare e pulire macchine del ghiaccio e distributori di bevande. Informazioni: {{contact}}.",
        },
      },
    },
  },
  {
    id: 'do-not-drink',
    incidentTypes: ['water-contamination', 'scada-attack', 'chemical-release'],
    defaultDurationHours: 24,
    category: ['Health', 'CBRNE'],
    responseType: ['Avoid'],
    urgency: 'Immediate',
    severity: 'Severe',
    certainty: 'Likely',
    text: {
      fr: {
        event: "Interdiction de consommer l'eau du robinet",
        headline: "Ne buvez pas l'eau du robinet – {{areaDesc}}",
        description: "L'eau distribuée à {{areaDesc}} est peut-être contaminée par une substance chimique. L'ébullition ne la rend PAS potable. {{issuer}} et les services de secours travaillent à rétablir une distribution sûre.",
        instruction: "Ne buvez pas l'eau du robinet et ne l'utilisez pas pour cuisiner, préparer les biberons, faire des glaçons ou vous brosser les dents, même après ébullition. Utilisez de l'eau en bouteille. L'eau ne peut servir qu'aux chasses d'eau. Si vous avez bu de l'eau du robinet et vous sentez mal, appelez le 112. Renseignements : {{contact}}.",
      },
      en: {
        event: 'Do not drink tap water',
        headline: 'Do not drink tap water – {{areaDesc}}',
        description: 'The water supplied to {{areaDesc}} may be contaminated by a chemical substance. Boiling does NOT make it safe. {{issuer}} and the emergency services are working to restore a safe supply.',
        instruction: 'Do not drink tap water or use it for cooking, baby formula, ice or brushing teeth, even after boiling. Use bottled water. Use tap water only to flush toilets. If you have drunk tap water and feel unwell, call 112. Information: {{contact}}.',
      },
      it: {
        event: "Divieto di consumo dell'acqua del rubinetto",
        headline: "Non bere l'acqua del rubinetto – {{areaDesc}}",
        description: "L'acqua distribuita a {{areaDesc}} potrebbe essere contaminata da una sostanza chimica. La bollitura NON la rende sicura. {{issuer}} e i servizi di emergenza stanno lavorando per ripristinare una fornitura sicura.",
        instruction: "Non bere l'acqua del rubinetto e non usarla per cucinare, preparare il latte per neonati, fare il ghiaccio o lavarsi i denti, nemmeno dopo la bollitura. Usare acqua in bottiglia. Usare l'acqua del rubinetto solo per gli scarichi. Chi ha bevuto acqua del rubinetto e si sente male chiami il 112. Informazioni: {{contact}}.",
      },
    },
    allClear: {
      ...ALL_CLEAR,
      category: ['Health'],
      responseType: ['AllClear'],
      text: {
        fr: {
          event: "Interdiction de consommer l'eau du robinet",
          headline: "L'eau du robinet est de nouveau potable – {{areaDesc}}",
          description: "Les analyses de {{issuer}} confirment que l'eau distribuée à {{areaDesc}} est de nouveau potable. L'interdiction de consommer l'eau est levée.",
          instruction: "Faites couler l'eau froide pendant cinq minutes avant la première utilisation. Jetez les glaçons et les boissons préparés avec l'eau du robinet pendant l'interdiction. Renseignements : {{contact}}.",
        },
        en: {
          event: 'Do not drink tap water',
          headline: 'Tap water is safe to drink again – {{areaDesc}}',
          description: 'Tests by {{issuer}} confirm that the water supplied to {{areaDesc}} is safe to drink again. The do-not-drink notice is lifted.',
          instruction: 'Run cold taps for five minutes before first use. Throw away ice and drinks made with tap water during the notice. Information: {{contact}}.',
        },
        it: {
          event: "Divieto di consumo dell'acqua del rubinetto",
          headline: "L'acqua del rubinetto è di nuovo potabile – {{areaDesc}}",
          description: "Le analisi di {{issuer}} confermano che l'acqua distribuita a {{areaDesc}} è di nuovo potabile. Il divieto di consumo è revocato.",
          instruction: "Far scorrere l'acqua fredda per cinque minuti prima del primo utilizzo. Gettare ghiaccio e bevande preparati con l'acqua del rubinetto durante il divieto. Informazioni: {{contact}}.",
        },
      },
    },
  },
  {
    id: 'avoid-area',
    incidentTypes: ['suspicious-object', 'crowd', 'security-operation', 'gas-leak'],
    defaultDurationHours: 6,
    category: ['Security', 'Safety'],
    responseType: ['Avoid'],
    urgency: 'Immediate',
    severity: 'Severe',
    certainty: 'Likely',
    text: {
      fr: {
        event: 'Zone à éviter',
        headline: 'Évitez le secteur : {{areaDesc}}',
        description: '{{issuer}} signale une opération de sécurité en cours autour de {{areaDesc}} : {{reason}}.',
        instruction: "Éloignez-vous du secteur et suivez les consignes de la police et des secours. Si vous êtes dans le secteur, quittez-le dans le calme. Ne diffusez pas d'images de l'opération. Renseignements : {{contact}}.",
      },
      en: {
        event: 'Avoid area',
        headline: 'Avoid the area: {{areaDesc}}',
        description: '{{issuer}} reports an ongoing security operation around {{areaDesc}}: {{reason}}.',
        instruction: 'Stay away from the area and follow the instructions of the police and emergency services. If you are inside the area, leave it calmly. Do not share images of the operation. Information: {{contact}}.',
      },
      it: {
        event: 'Zona da evitare',
        headline: 'Evitare la zona: {{areaDesc}}',
        description: "{{issuer}} segnala un'operazione di sicurezza in corso intorno a {{areaDesc}}: {{reason}}.",
        instruction: "Stare lontani dalla zona e seguire le indicazioni della polizia e dei soccorsi. Chi si trova nella zona si allontani con calma. Non diffondere immagini dell'operazione. Informazioni: {{contact}}.",
      },
    },
    allClear: {
      ...ALL_CLEAR,
      category: ['Security', 'Safety'],
      responseType: ['AllClear'],
      text: {
        fr: {
          event: 'Zone à éviter',
          headline: 'Secteur rouvert : {{areaDesc}}',
          description: "L'opération de sécurité autour de {{areaDesc}} est terminée.",
          instruction: 'Vous pouvez revenir dans le secteur. Des perturbations de la circulation peuvent subsister. Renseignements : {{contact}}.',
        },
        en: {
          event: 'Avoid area',
          headline: 'Area reopened: {{areaDesc}}',
          description: 'The security operation around {{areaDesc}} is over.',
          instruction: 'You may return to the area. Traffic may still be disrupted for a while. Information: {{contact}}.',
        },
        it: {
          event: 'Zona da evitare',
          headline: 'Zona riaperta: {{areaDesc}}',
          description: "L'operazione di sicurezza intorno a {{areaDesc}} è terminata.",
          instruction: 'È possibile tornare nella zona. Possono persistere disagi alla circolazione. Informazioni: {{contact}}.',
        },
      },
    },
  },
  {
    id: 'evacuate',
    incidentTypes: ['fire', 'explosion-risk', 'chemical-release', 'structural-collapse'],
    defaultDurationHours: 12,
    category: ['Safety'],
    responseType: ['Evacuate'],
    urgency: 'Immediate',
    severity: 'Extreme',
    certainty: 'Observed',
    text: {
      fr: {
        event: 'Évacuation',
        headline: 'Évacuez maintenant : {{areaDesc}}',
        description: "{{issuer}} ordonne l'évacuation de {{areaDesc}} : {{reason}}.",
        instruction: "Quittez immédiatement le secteur à pied par le chemin sûr le plus proche, en vous éloignant du danger, vers {{assemblyPoint}}. N'emportez que l'essentiel et vos médicaments ; aidez les voisins qui en ont besoin. N'utilisez pas les ascenseurs et ne revenez pas chercher vos affaires. Suivez les consignes des secours. Renseignements : {{contact}}.",
      },
      en: {
        event: 'Evacuation',
        headline: 'Evacuate now: {{areaDesc}}',
        description: '{{issuer}} orders the evacuation of {{areaDesc}}: {{reason}}.',
        instruction: 'Leave the area now on foot by the nearest safe route, away from the danger, towards {{assemblyPoint}}. Take only essentials and your medicines; help neighbours who need it. Do not use lifts and do not go back for belongings. Follow the instructions of the emergency services. Information: {{contact}}.',
      },
      it: {
        event: 'Evacuazione',
        headline: 'Evacuare subito: {{areaDesc}}',
        description: "{{issuer}} ordina l'evacuazione di {{areaDesc}}: {{reason}}.",
        instruction: "Lasciare subito la zona a piedi per la via sicura più vicina, allontanandosi dal pericolo, verso {{assemblyPoint}}. Portare solo l'essenziale e i propri medicinali; aiutare i vicini che ne hanno bisogno. Non usare gli ascensori e non tornare indietro a prendere oggetti. Seguire le indicazioni dei soccorsi. Informazioni: {{contact}}.",
      },
    },
    allClear: {
      ...ALL_CLEAR,
      category: ['Safety'],
      responseType: ['AllClear'],
      text: {
        fr: {
          event: 'Évacuation',
          headline: "Fin de l'évacuation : {{areaDesc}}",
          description: "Le danger est écarté à {{areaDesc}} et l'ordre d'évacuation est levé.",
          instruction: 'Vous pouvez regagner votre domicile. Suivez les éventuelles consignes des secours sur place. Renseignements : {{contact}}.',
        },
        en: {
          event: 'Evacuation',
          headline: 'Evacuation lifted: {{areaDesc}}',
          description: 'The danger in {{areaDesc}} is over and the evacuation order is lifted.',
          instruction: 'You may return home. Follow any instructions from the emergency services on site. Information: {{contact}}.',
        },
        it: {
          event: 'Evacuazione',
          headline: 'Evacuazione revocata: {{areaDesc}}',
          description: "Il pericolo a {{areaDesc}} è cessato e l'ordine di evacuazione è revocato.",
          instruction: 'È possibile rientrare a casa. Seguire eventuali indicazioni dei soccorsi sul posto. Informazioni: {{contact}}.',
        },
      },
    },
  },
];

/** The text of a Cancel message, for any template: a warning withdrawn (issued in error, or superseded). */
export const CANCEL_TEXT: Record<TemplateLanguage, Omit<TemplateText, 'event'>> = {
  fr: {
    headline: 'Annulation : alerte précédente pour {{areaDesc}}',
    description: "L'alerte précédente émise par {{issuer}} pour {{areaDesc}} est annulée : {{reason}}.",
    instruction: "Aucune action n'est requise. Renseignements : {{contact}}.",
  },
  en: {
    headline: 'Cancelled: previous warning for {{areaDesc}}',
    description: 'The previous warning issued by {{issuer}} for {{areaDesc}} is cancelled: {{reason}}.',
    instruction: 'No action is required. Information: {{contact}}.',
  },
  it: {
    headline: 'Annullato: avviso precedente per {{areaDesc}}',
    description: "L'avviso precedente emesso da {{issuer}} per {{areaDesc}} è annullato: {{reason}}.",
    instruction: 'Nessuna azione richiesta. Informazioni: {{contact}}.',
  },
};

export function findTemplate(id: string): WarningTemplate | undefined {
  return WARNING_TEMPLATES.find((t) => t.id === id);
}

/** Templates to offer first for an incident type, the others after. */
export function templatesForIncidentType(incidentType: string): WarningTemplate[] {
  const first = WARNING_TEMPLATES.filter((t) => t.incidentTypes.includes(incidentType));
  return [...first, ...WARNING_TEMPLATES.filter((t) => !first.includes(t))];
}
