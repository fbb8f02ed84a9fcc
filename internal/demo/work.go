package demo

import (
	"math/rand/v2"
	"strings"
)

// What agents write in the Respuesta del agente form.

// outcome is how an agent's work on a case ends up.
type outcome int

const (
	resolve      outcome = iota // Resuelto
	notResolved                 // No Resuelto, with a Concepto técnico
	warranty                    // En Espera: Garantía, later Resuelto
	escalation                  // En Espera: Escalamiento, later Resuelto
	availability                // En Espera: Disponibilidad del usuario
)

// chooseOutcome draws what happens to a case of a service: mostly Resuelto;
// the other outcomes only where they make sense for the service.
func chooseOutcome(r *rand.Rand, svc string) outcome {
	x := r.IntN(100)
	switch {
	case x < 7 && concepts[svc] != nil:
		return notResolved
	case x >= 7 && x < 13 && warranties[svc] != nil:
		return warranty
	case x >= 13 && x < 19 && escalations[svc] != nil:
		return escalation
	case x >= 19 && x < 26 && buildingService(svc):
		return availability
	}
	return resolve
}

func buildingService(svc string) bool {
	for _, s := range catalog {
		if s.Type == svc {
			return s.NeedsBuilding
		}
	}
	return false
}

var solved = map[string][]string{
	"Soporte de hardware": {
		"Se revisó el equipo, se cambió la fuente de poder y se verificó el encendido.",
		"Se hizo mantenimiento preventivo, limpieza interna y cambio de pasta térmica; el equipo quedó estable.",
		"Se reemplazó el teclado y el mouse por unos del inventario de la oficina TIC.",
		"Se ajustó el cable de video del monitor y se actualizó el controlador de la tarjeta gráfica.",
		"Se cambió la batería del portátil con repuesto en almacén y se probó la carga.",
	},
	"Soporte de software": {
		"Se reparó la instalación de Office y se activó la licencia institucional.",
		"Se reconfiguró el perfil de Outlook; el correo sincroniza normalmente.",
		"Se ejecutó un análisis completo del antivirus y se desinfectó la memoria USB.",
		"Se aplicaron las actualizaciones de Windows fuera del horario de atención.",
		"Se restableció la contraseña del equipo y se explicó al usuario la política de contraseñas.",
	},
	"Impresoras y escáneres": {
		"Se reinició la cola de impresión y se reinstaló el controlador de la impresora.",
		"Se cambió el tóner y se hizo limpieza del rodillo; la impresión quedó nítida.",
		"Se configuró el envío de escaneos al correo institucional (SMTP) y se probó con el usuario.",
		"Se retiró un fragmento de papel del fusor y se probó la impresión.",
		"Se agregó la impresora de red al equipo del usuario.",
	},
	"Instalación de software": {
		"Se instaló el software solicitado con la licencia institucional y se verificó su funcionamiento.",
		"Se instaló el programa y se configuró el acceso directo en el escritorio del usuario.",
		"Se instaló el certificado de firma digital y se probó la firma de un documento.",
	},
	"Sistemas de información": {
		"Se restableció el usuario en el aplicativo y se verificó el ingreso con el funcionario.",
		"Se limpió la caché del navegador y se actualizó el componente de Java requerido por el aplicativo.",
		"Se ajustó el permiso del rol del usuario en el aplicativo; ya puede generar el documento.",
	},
	"Traslado de equipos": {
		"Se trasladó el equipo y el teléfono al nuevo puesto y se verificó la conexión a la red.",
		"Se habilitó el puesto de trabajo con equipo, punto de red y extensión.",
	},
	"Redes": {
		"Se reinició el switch del piso y se verificó la conectividad de todos los puestos.",
		"Se cambió el patch cord del puesto y se certificó el punto de red.",
		"Se reconfiguró el punto de acceso inalámbrico de la sala de juntas.",
		"Se asignaron permisos a la carpeta compartida de la dependencia.",
	},
	"Telefonía": {
		"Se reconfiguró la extensión en la planta telefónica; tiene tono y hace llamadas.",
		"Se cambió el adaptador de corriente del teléfono IP.",
		"Se habilitó el desvío de llamadas de la extensión al celular del usuario.",
	},
	"Cuentas de correo": {
		"Se restableció la contraseña del correo institucional y se configuró la verificación en dos pasos.",
		"Se creó la cuenta de correo institucional y se entregaron las credenciales al jefe de la dependencia.",
		"Se depuró el buzón y se archivaron los correos de años anteriores.",
		"Se suspendió la cuenta y se transfirió su información al jefe inmediato.",
	},
	"Copias de seguridad": {
		"Se realizó la copia de seguridad en el servidor de archivos y se verificó su integridad.",
		"Se restauró el archivo desde la copia de seguridad de la noche anterior.",
		"Se programó la copia de seguridad mensual de la carpeta de la dependencia.",
	},
}

// concepts are the Concepto técnico of a device left not operative
// (Funza definición 5).
var concepts = map[string][]string{
	"Soporte de hardware": {
		"Board con daño en el circuito de alimentación; la reparación no es viable. Se recomienda dar de baja el equipo y solicitar su reposición.",
		"Disco duro con sectores dañados y equipo sin garantía. Se recomienda adquirir un disco de estado sólido de 480 GB.",
	},
	"Impresoras y escáneres": {
		"Fusor de la impresora dañado; está fuera de garantía y el repuesto está descontinuado. Se recomienda reposición de la impresora.",
	},
	"Soporte de software": {
		"El equipo no cumple los requisitos mínimos para la versión de Office solicitada (4 GB de RAM). Se recomienda ampliar la memoria.",
	},
	"Instalación de software": {
		"No hay licencias disponibles del software solicitado; la dependencia debe gestionar su adquisición.",
	},
}

var warranties = map[string][]string{
	"Soporte de hardware":    {"Equipo en garantía: se reporta el daño al fabricante, que programa visita técnica."},
	"Impresoras y escáneres": {"Se reporta la falla al proveedor del contrato de impresión en garantía; envían técnico."},
}

var warrantyDone = map[string][]string{
	"Soporte de hardware":    {"El técnico del fabricante reemplazó la tarjeta principal en garantía; equipo operativo.", "El fabricante cambió el disco duro en garantía; se reinstaló el sistema y se entregó el equipo."},
	"Impresoras y escáneres": {"El proveedor cambió la unidad de imagen en garantía; se probó la impresión con el usuario."},
}

var escalations = map[string][]string{
	"Redes":                   {"Se escala al proveedor del canal de internet: falla en la fibra del sector."},
	"Telefonía":               {"Se escala al proveedor de la planta telefónica: la troncal SIP no registra."},
	"Sistemas de información": {"Se escala al proveedor del aplicativo: el error ocurre en el servidor del proveedor."},
	"Soporte de software":     {"Se escala a la mesa de ayuda del fabricante del software."},
	"Cuentas de correo":       {"Se escala al soporte de Google Workspace para recuperar la cuenta."},
}

var escalationDone = []string{
	"El proveedor restableció el servicio; se verificó con el usuario.",
	"El proveedor aplicó la corrección; se hicieron pruebas con el usuario y quedó funcionando.",
}

var unavailable = []string{
	"El usuario no se encontraba en el puesto; se acuerda una nueva visita.",
	"El usuario está en audiencia toda la mañana; se pacta nueva fecha de atención.",
	"El usuario pidió reprogramar la visita por cierre de la vigencia.",
}

var availableDone = []string{
	"Se realizó la visita acordada y se solucionó el requerimiento con el usuario.",
}

func activities(r *rand.Rand, svc string) string {
	if xs := solved[svc]; len(xs) > 0 {
		return pick(r, xs)
	}
	return "Se atendió la solicitud y se verificó con el usuario."
}

// surveyComments are what users write in the satisfaction survey, by how
// satisfied they are.
var surveyComments = map[bool][]string{
	true:  {"", "", "Excelente atención, muy amable.", "Resolvieron rápido.", "Gracias por la colaboración.", "El técnico fue muy puntual.", "Muy buen servicio."},
	false: {"Se demoraron varios días.", "La impresora sigue fallando a veces.", "Tuve que llamar varias veces para que vinieran.", ""},
}

// caseRef is how an agent types a case number in the form.
func caseRef(r *rand.Rand, n int) string {
	if r.IntN(10) == 0 {
		return "Caso " + itoa(n)
	}
	return itoa(n)
}

func contains(s string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
